internal import CRdKafka

extension KafkaConsumer {
    /// Stops fetching for every assigned partition while staying in the group: the caller keeps polling (so
    /// `max.poll.interval.ms` is honoured) but receives nothing new. For backpressure. Call from the poll thread.
    public func pauseAssigned() {
        withAssignment { rd_kafka_pause_partitions(client.handle, $0) }
    }

    /// Fetching resumes from the position of the last message handed over.
    public func resumeAssigned() {
        withAssignment { rd_kafka_resume_partitions(client.handle, $0) }
    }

    private func withAssignment(_ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> rd_kafka_resp_err_t) {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = body(list)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("Kafka pause/resume failed", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2str(result)))"])
        }
    }
}
