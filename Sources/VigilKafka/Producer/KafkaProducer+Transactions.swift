internal import CRdKafka

/// Kafka transactions (the producer must be created with `transactional.id`): outputs and the consumer's offsets
/// commit or abort together, which is how `exactly-once` processing is built. Each call blocks up to its timeout.
///
/// Errors carry librdkafka's verdict: `.fatal` (for example fenced by a newer producer with the same
/// transactional id: this producer is unusable), `requiresAbort` (abort, then begin again) or `isRetriable`.
extension KafkaProducer {
    /// Registers the transactional id with the coordinator, fencing any older producer that used it.
    public func initTransactions(timeout: Duration) throws(KafkaError) {
        try check(rd_kafka_init_transactions(client.handle, timeout.kafkaMilliseconds), "Initialising transactions")
    }

    public func beginTransaction() throws(KafkaError) {
        try check(rd_kafka_begin_transaction(client.handle), "Beginning a transaction")
    }

    /// Adds the consumer's next offsets to the transaction, committed for its group only if the transaction
    /// commits. The consumer's group metadata (generation, member id) lets the broker fence a zombie member.
    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], consumer: KafkaConsumer, timeout: Duration) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList(capacity: offsets.count)
        for (partition, offset) in offsets {
            list.add(partition).pointee.offset = offset
        }
        guard let metadata = rd_kafka_consumer_group_metadata(consumer.client.handle) else {
            throw KafkaError(code: .commit, message: "The consumer has no group metadata")
        }
        defer { rd_kafka_consumer_group_metadata_destroy(metadata) }
        try check(rd_kafka_send_offsets_to_transaction(client.handle, list.pointer, metadata, timeout.kafkaMilliseconds), "Sending offsets to the transaction")
    }

    /// Flushes the transaction's messages and commits it.
    public func commitTransaction(timeout: Duration) throws(KafkaError) {
        try check(rd_kafka_commit_transaction(client.handle, timeout.kafkaMilliseconds), "Committing a transaction")
    }

    /// Aborts the transaction: its messages are marked aborted (hidden from `read_committed` readers) and its
    /// offsets are not committed.
    public func abortTransaction(timeout: Duration) throws(KafkaError) {
        try check(rd_kafka_abort_transaction(client.handle, timeout.kafkaMilliseconds), "Aborting a transaction")
    }

    private func check(_ error: OpaquePointer?, _ context: String) throws(KafkaError) {
        guard let error else { return }
        throw KafkaError(consuming: error, operation: .commit, context)
    }
}
