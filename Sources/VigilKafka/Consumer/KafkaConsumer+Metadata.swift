internal import CRdKafka

extension KafkaConsumer {
    /// The partition count of `topic`, `nil` if it does not exist. Thread-safe; blocks up to `timeout`.
    public func partitionCount(topic: String, timeout: Duration) throws(KafkaError) -> Int? {
        try client.partitionCount(topic: topic, timeout: timeout)
    }

    /// Whether a broker answers a metadata request within `timeout`. Thread-safe; blocks up to `timeout`.
    public func isConnected(timeout: Duration) -> Bool {
        client.isConnected(timeout: timeout)
    }

    /// The current assignment with each partition's lag: the high watermark librdkafka last saw (no request)
    /// minus the consumer's position; `nil` when either is unknown (nothing fetched yet). Thread-safe, cheap.
    public func assignmentLag() -> [(TopicPartition, Int64?)] {
        var assigned: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.handle, &assigned) == RD_KAFKA_RESP_ERR_NO_ERROR, let assigned else {
            return []
        }
        let list = TopicPartitionList(adopting: assigned)
        _ = rd_kafka_position(client.handle, list.pointer)
        let lags = list.elements.map { element -> (TopicPartition, Int64?) in
            let partition = TopicPartition(topic: String(cString: element.topic), partition: element.partition)
            var low: Int64 = -1
            var high: Int64 = -1
            let known = rd_kafka_get_watermark_offsets(client.handle, element.topic, element.partition, &low, &high)
            guard known == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0, element.offset >= 0 else { return (partition, nil) }
            return (partition, max(0, high - element.offset))
        }
        return lags.sorted { ($0.0.topic, $0.0.partition) < ($1.0.topic, $1.0.partition) }
    }

    /// The high watermark of `partition` as the last fetch response reported it (no request); nil when unknown.
    /// Thread-safe, cheap.
    public func cachedHighWatermark(_ partition: TopicPartition) -> Int64? {
        var low: Int64 = -1
        var high: Int64 = -1
        let known = rd_kafka_get_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high)
        return known == RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0 ? high : nil
    }
}
