import VigilKafka

extension KafkaError {
    /// Broker answers that no retry can change: the record is too large, the topic is invalid, or the daemon is not
    /// allowed to write it. Retrying these would wedge the partition silently; stopping makes it visible.
    var isPermanentProduceFailure: Bool {
        guard let code = librdkafkaCode else { return false }
        // MSG_SIZE_TOO_LARGE, INVALID_TOPIC_EXCEPTION, RECORD_LIST_TOO_LARGE, TOPIC_AUTHORIZATION_FAILED,
        // CLUSTER_AUTHORIZATION_FAILED, INVALID_RECORD.
        return [10, 17, 18, 29, 31, 87].contains(code)
    }
}
