/// The broker's verdict on one produced message.
public struct DeliveryReport: Sendable {
    /// The token given to `KafkaProducer.produce`.
    public var token: UInt64
    /// `nil` when the message was written and acknowledged as configured (`acks=all`).
    public var error: KafkaError?
    public var topic: String
    /// -1 when the message failed before a partition was chosen.
    public var partition: Int32
    /// -1001 (invalid) when the message was not written.
    public var offset: Int64

    public init(token: UInt64, error: KafkaError?, topic: String, partition: Int32, offset: Int64) {
        self.token = token
        self.error = error
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
