import VigilCore
import VigilKafka

extension KafkaHeader {
    /// `content-type: application/cloudevents+json`: the header of a structured-mode CloudEvent (alerts, and the
    /// events the demo and the benchmark publish).
    public static let structuredCloudEvent = KafkaHeader(key: "content-type", value: Array(AlertEncoder.contentType.utf8))
}
