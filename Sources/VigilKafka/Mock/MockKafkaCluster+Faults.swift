internal import CRdKafka

extension MockKafkaCluster {
    /// Kafka protocol API key of Produce requests.
    private static let produceApiKey: Int16 = 0

    /// The next `count` Produce requests fail with a retriable broker error (NOT_ENOUGH_REPLICAS), so that
    /// librdkafka retries until `message.timeout.ms` and then reports the delivery as failed. For tests of
    /// what the daemon does when the broker will not take its output.
    public func failProduceRequests(count: Int) {
        pushErrors(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, count: count, apiKey: Self.produceApiKey)
    }

    /// The next AddPartitionsToTxn request is answered PRODUCER_FENCED, as a broker answers a producer after a
    /// newer one initialised the same transactional id. (librdkafka 2.0.2's mock gives every InitProducerId a new
    /// producer id and never rejects a stale epoch, so it cannot fence a zombie by itself.)
    public func fenceNextTransaction() {
        pushErrors(RD_KAFKA_RESP_ERR_PRODUCER_FENCED, count: 1, apiKey: Self.addPartitionsToTxnApiKey)
    }

    /// Kafka protocol API key of AddPartitionsToTxn requests.
    private static let addPartitionsToTxnApiKey: Int16 = 24

    /// Kafka protocol API key of OffsetCommit requests.
    private static let offsetCommitApiKey: Int16 = 8

    /// The next `count` OffsetCommit requests fail (OFFSET_METADATA_TOO_LARGE: not retried, not fatal), so that a
    /// test can stop a consumer between its output and its commit.
    public func failOffsetCommits(count: Int) {
        pushErrors(RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE, count: count, apiKey: Self.offsetCommitApiKey)
    }

    /// OffsetCommit requests succeed again.
    public func clearOffsetCommitFailures() {
        rd_kafka_mock_clear_request_errors(cluster, Self.offsetCommitApiKey)
    }

    /// Produce requests succeed again.
    public func clearProduceFailures() {
        rd_kafka_mock_clear_request_errors(cluster, Self.produceApiKey)
    }

    /// Kafka protocol API key of Heartbeat requests.
    static let heartbeatApiKey: Int16 = 12

    /// The next Heartbeat is answered FENCED_INSTANCE_ID, as a broker answers a static member after another
    /// consumer joined with its `group.instance.id`. (librdkafka 2.0.2's mock ignores `group.instance.id`, so it
    /// cannot fence one by itself.)
    public func fenceStaticMember() {
        pushErrors(RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID, count: 1, apiKey: Self.heartbeatApiKey)
    }

    /// The next `count` requests of the API `apiKey` are answered `error`.
    private func pushErrors(_ error: rd_kafka_resp_err_t, count: Int, apiKey: Int16) {
        let errors = [rd_kafka_resp_err_t](repeating: error, count: count)
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }
}
