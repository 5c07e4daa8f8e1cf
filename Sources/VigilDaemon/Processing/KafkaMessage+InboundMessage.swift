import VigilCore
import VigilKafka

// The consumer's borrowed view already has the key, value and header look-up the decoder reads: zero copy.
extension KafkaMessage: InboundMessage {}
