internal import CRdKafka
import Logging

/// The callbacks every handle gets: librdkafka's logs into swift-log, its errors to the caller's error handler.
enum ClientCallbacks {
    static func install(on conf: OpaquePointer, context: CallbackContext) {
        rd_kafka_conf_set_opaque(conf, context.opaque)

        // Without `log.queue`, log_cb runs on librdkafka's internal threads. That is safe here: it only touches
        // the immutable context and a Logger (Sendable, handlers thread-safe), never librdkafka. We prefer it to
        // `log.queue`, whose messages would pile up in handles nobody polls (the mock cluster's host, an idle
        // producer) and stall behind blocking calls such as a synchronous commit.
        rd_kafka_conf_set_log_cb(conf) { handle, level, facility, text in
            guard let handle, let context = CallbackContext.from(rd_kafka_opaque(handle)) else { return }
            context.log(syslogLevel: level, facility: facility, text: text, client: rd_kafka_name(handle))
        }

        // Served by rd_kafka_poll / the consumer queue, so it runs on the caller's poll thread.
        rd_kafka_conf_set_error_cb(conf) { handle, code, reason, opaque in
            guard let handle, let context = CallbackContext.from(opaque) else { return }
            let isFatal = code == RD_KAFKA_RESP_ERR__FATAL.rawValue
            let error = isFatal
                ? KafkaError.fatal(of: handle)
                : KafkaError(
                    rd_kafka_resp_err_t(code),
                    operation: .poll,
                    reason.map { String(cString: $0) } ?? "librdkafka error"
                )
            context.errorHandler(error, isFatal)
        }
    }
}

extension CallbackContext {
    func log(
        syslogLevel: Int32,
        facility: UnsafePointer<CChar>?,
        text: UnsafePointer<CChar>?,
        client: UnsafePointer<CChar>?
    ) {
        let level = Logger.Level(syslog: syslogLevel)
        // Check first: building the strings costs more than most log lines are worth.
        guard level >= logger.logLevel, let text else { return }
        var metadata: Logger.Metadata = [:]
        if let facility { metadata["kafka.facility"] = .string(String(cString: facility)) }
        if let client { metadata["kafka.client"] = .string(String(cString: client)) }
        logger.log(level: level, "\(String(cString: text))", metadata: metadata)
    }
}
