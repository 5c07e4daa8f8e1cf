internal import CRdKafka

extension KafkaError {
    /// Wraps a librdkafka error code. `code` is the operation's code; timeouts, transport failures, unknown topics
    /// and fatal errors get their own codes whatever the operation, so callers can react to them uniformly.
    init(
        _ error: rd_kafka_resp_err_t,
        operation code: Code,
        _ context: String,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.init(
            code: Self.code(for: error, operation: code),
            message: "\(context): \(Self.text(of: error)) (\(Self.name(of: error)))",
            isRetriable: Self.isRetriable(error),
            librdkafkaCode: Int(error.rawValue),
            file: file,
            line: line
        )
    }

    /// Wraps (and destroys) an `rd_kafka_error_t`, which carries librdkafka's own retriable and fatal verdicts.
    init(
        consuming error: OpaquePointer,
        operation code: Code,
        _ context: String,
        file: String = #fileID,
        line: Int = #line
    ) {
        defer { rd_kafka_error_destroy(error) }
        let errorCode = rd_kafka_error_code(error)
        self.init(
            code: rd_kafka_error_is_fatal(error) != 0 ? .fatal : Self.code(for: errorCode, operation: code),
            message: "\(context): \(String(cString: rd_kafka_error_string(error))) (\(Self.name(of: errorCode)))",
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            librdkafkaCode: Int(errorCode.rawValue),
            file: file,
            line: line
        )
        requiresAbort = rd_kafka_error_txn_requires_abort(error) != 0
    }

    /// librdkafka's symbolic name of a code, e.g. `_TRANSPORT`: what to search for in its documentation.
    static func name(of error: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2name(error))
    }

    /// librdkafka's description of a code.
    static func text(of error: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2str(error))
    }

    private static func code(for error: rd_kafka_resp_err_t, operation: Code) -> Code {
        switch error {
        case RD_KAFKA_RESP_ERR__FATAL:
            .fatal
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
            .timeout
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE,
            RD_KAFKA_RESP_ERR__AUTHENTICATION, RD_KAFKA_RESP_ERR__SSL:
            .connection
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
            .unknownTopic
        default:
            operation
        }
    }

    /// librdkafka only reports retriability on `rd_kafka_error_t`; for bare codes these are the ones the Kafka
    /// protocol and librdkafka document as transient.
    static func isRetriable(_ error: rd_kafka_resp_err_t) -> Bool {
        switch error {
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
            RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__WAIT_COORD,
            RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
            true
        default:
            false
        }
    }
}
