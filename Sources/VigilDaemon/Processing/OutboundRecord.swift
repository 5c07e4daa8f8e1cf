import VigilCore
import VigilKafka

/// A message to produce, kept until the broker acknowledges it so that a delivery librdkafka gave up on can be
/// produced again rather than skipped.
struct OutboundRecord: Sendable {
    var topic: String
    /// Set for state-changelog writes (the input partition of the patient); nil lets the key choose.
    var partition: Int32? = nil
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]
    /// Set for alerts, so that the alert can be counted once delivered.
    var alert: (rule: String, severity: Severity, notify: Bool)?

    /// What the record holds in memory while it waits for acknowledgement.
    var byteCount: Int {
        (key?.count ?? 0) + (value?.count ?? 0) + headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) }
    }
}
