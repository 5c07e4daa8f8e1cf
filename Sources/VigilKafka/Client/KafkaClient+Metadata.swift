internal import CRdKafka

extension KafkaClient {
    /// The partition count of `topic`, `nil` if the cluster does not know it. A metadata round trip: thread-safe,
    /// blocks up to `timeout`.
    ///
    /// Asks for all topics rather than this one: a request naming a topic may create it where the broker allows
    /// auto-creation (librdkafka 2.0.2's mock cluster does, even for a consumer), and a startup check must not
    /// create what it checks.
    func partitionCount(topic: String, timeout: Duration) throws(KafkaError) -> Int? {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let result = rd_kafka_metadata(handle, 1, nil, &metadata, timeout.kafkaMilliseconds)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(result, operation: .connection, "Metadata for topic '\(topic)'")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { $0.topic.map { String(cString: $0) } == topic }) else { return nil }
        switch entry.err {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            return Int(entry.partition_cnt)
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
            return nil
        default:
            throw KafkaError(entry.err, operation: .connection, "Metadata for topic '\(topic)'")
        }
    }

    /// Whether a broker answers a metadata request within `timeout`: a real round trip, not librdkafka's view of
    /// its connections, which lags behind a broker that went away. Thread-safe.
    func isConnected(timeout: Duration) -> Bool {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let result = rd_kafka_metadata(handle, 0, nil, &metadata, timeout.kafkaMilliseconds)
        if let metadata { rd_kafka_metadata_destroy(metadata) }
        return result == RD_KAFKA_RESP_ERR_NO_ERROR
    }
}
