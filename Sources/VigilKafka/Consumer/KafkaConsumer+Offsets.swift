internal import CRdKafka

extension KafkaConsumer {
    /// Stores `nextOffset` (the offset of the message after the last one finished) for the next commit.
    /// Throws `.notAssigned` if the partition is no longer assigned (after a revoke): nothing to do then, the
    /// message will be redelivered to the new owner.
    public func storeOffset(_ partition: TopicPartition, nextOffset: Int64) throws(KafkaError) {
        try storeOffsets([partition: nextOffset])
    }

    /// Stores several offsets in one call (one list for librdkafka instead of one per partition).
    public func storeOffsets(_ offsets: [TopicPartition: Int64]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList(capacity: offsets.count)
        for (partition, offset) in offsets {
            list.add(partition).pointee.offset = offset
        }
        let result = rd_kafka_offsets_store(client.handle, list.pointer)
        for element in list.elements where element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw storeError(element.err, "\(String(cString: element.topic))[\(element.partition)]")
        }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw storeError(result, "\(offsets.count) partitions")
        }
    }

    private func storeError(_ code: rd_kafka_resp_err_t, _ what: String) -> KafkaError {
        var error = KafkaError(code, operation: .commit, "Storing the offset of \(what)")
        // _STATE: no longer assigned; _UNKNOWN_PARTITION: never assigned to this consumer.
        if code == RD_KAFKA_RESP_ERR__STATE || code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION {
            error.code = .notAssigned
        }
        return error
    }

    /// Commits the stored offsets and waits for the broker's answer. Nothing stored is success.
    public func commit() throws(KafkaError) {
        let result = rd_kafka_commit(client.handle, nil, 0)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR || result == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(result, operation: .commit, "Committing offsets")
        }
    }

    /// Commits exactly `offsets` (the next offset to read, per partition), whatever was stored. Asynchronously the
    /// call returns at once and a failure reaches the error handler (operation `.commit`); synchronously it waits
    /// for the broker's answer and throws.
    public func commit(_ offsets: [TopicPartition: Int64], asynchronously: Bool) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList(capacity: offsets.count)
        for (partition, offset) in offsets {
            list.add(partition).pointee.offset = offset
        }
        let result = rd_kafka_commit(client.handle, list.pointer, asynchronously ? 1 : 0)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR || result == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(result, operation: .commit, "Committing offsets of \(offsets.count) partitions")
        }
    }

    /// The group's committed offsets for `partitions`; a partition without one is absent. Blocks up to `timeout`.
    public func committed(
        _ partitions: [TopicPartition],
        timeout: Duration
    ) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = TopicPartitionList(partitions, capacity: partitions.count)
        let result = rd_kafka_committed(client.handle, list.pointer, timeout.kafkaMilliseconds)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, operation: .commit, "Reading committed offsets")
        }
        var offsets: [TopicPartition: Int64] = [:]
        for element in list.elements {
            let partition = TopicPartition(topic: String(cString: element.topic), partition: element.partition)
            guard element.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(element.err, operation: .commit, "Reading the committed offset of \(partition)")
            }
            if element.offset != invalidOffset { offsets[partition] = element.offset }
        }
        return offsets
    }
}
