/// One Kafka record header. Header names may repeat; order is kept.
public struct KafkaHeader: Sendable, Equatable {
    public var key: String
    /// `nil` is a null header value, distinct from an empty one.
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
