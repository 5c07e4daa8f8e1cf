import Foundation
import VigilCore
import VigilKafka

/// Builds the dead-letter copy of an input message: its key, value and headers unchanged, plus the contract's
/// `vigil.*` headers saying why and where from.
enum DeadLetter {
    static func record(of message: borrowing KafkaMessage, failure: DecodeFailure, topic: String, failedAt: Date) -> OutboundRecord {
        var headers = message.headers()
        headers.append(KafkaHeader(key: "vigil.error.code", value: Array(failure.code.rawValue.utf8)))
        headers.append(KafkaHeader(key: "vigil.error.detail", value: Array(failure.detail.utf8)))
        headers.append(KafkaHeader(key: "vigil.source.topic", value: Array(message.topic.utf8)))
        headers.append(KafkaHeader(key: "vigil.source.partition", value: Array(String(message.partition).utf8)))
        headers.append(KafkaHeader(key: "vigil.source.offset", value: Array(String(message.offset).utf8)))
        headers.append(KafkaHeader(key: "vigil.failed-at", value: Array(RFC3339.format(failedAt).utf8)))
        return OutboundRecord(
            topic: topic,
            key: message.key.map { Array($0) },
            value: message.value.map { Array($0) },
            headers: headers
        )
    }
}
