import VigilKafka

/// A message to produce, kept until the broker acknowledges it so that a delivery librdkafka gave up on can be
/// produced again rather than skipped.
struct OutboundRecord: Sendable {
    var topic: String
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]
    /// Set for alerts, so that the alert can be counted once delivered.
    var alert: (rule: String, severity: String)?
}
