extension KafkaMessage {
    /// A message built in Swift rather than consumed, for tests of code that handles messages. `key` and `value`
    /// are borrowed like those of a consumed message: keep them alive while the message is used.
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        timestampMilliseconds: Int64? = nil,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestampMilliseconds = timestampMilliseconds
        self.key = key
        self.value = value
        source = .owned(OwnedHeaders(headers))
    }
}
