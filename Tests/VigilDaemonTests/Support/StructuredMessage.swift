import Foundation
import VigilCore
import VigilKafka

/// Decodes `value` as the daemon does: through a `KafkaMessage` (its test initialiser) carrying the structured-mode
/// content type, with the bytes borrowed for the duration of the call.
func decodeStructured(key: String, value: [UInt8], now: Date, decoder: EventDecoder = EventDecoder()) -> Result<PatientEvent, DecodeFailure> {
    let headers = [KafkaHeader.structuredCloudEvent]
    return Array(key.utf8).withUnsafeBytes { keyBytes in
        value.withUnsafeBytes { valueBytes in
            decoder.decode(KafkaMessage(topic: "test", partition: 0, offset: 0, key: keyBytes, value: valueBytes, headers: headers), now: now)
        }
    }
}
