internal import CRdKafka
import Logging

/// The rebalance and offset-commit callbacks. librdkafka serves them on the thread that polls the consumer queue
/// (or calls `rd_kafka_consumer_close`), in queue order with the messages.
enum ConsumerCallbacks {
    static func install(on conf: OpaquePointer) {
        // Auto-commit results arrive here: a failed commit is reported (operation `.commit`), never fatal.
        rd_kafka_conf_set_offset_commit_cb(conf) { _, code, _, opaque in
            guard code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR__NO_OFFSET,
                let context = CallbackContext.from(opaque)
            else { return }
            context.errorHandler(KafkaError(code, operation: .commit, "Committing offsets"), false)
        }
        rd_kafka_conf_set_rebalance_cb(conf) { handle, code, partitions, opaque in
            guard let handle else { return }
            guard let context = CallbackContext.from(opaque), let rebalance = context.rebalance else {
                // Not ours to judge: keep librdkafka's assignment consistent and move on.
                _ = rd_kafka_assign(handle, code == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? partitions : nil)
                return
            }
            let list = TopicPartitionList.partitions(in: partitions)
            switch code {
            case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
                rebalance.assigned(list)
                rebalance.handler(.assigned(list))
                context.check(rd_kafka_assign(handle, partitions), "Assigning \(list.count) partitions")
            case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
                if rd_kafka_assignment_lost(handle) != 0 {
                    context.logger.warning(
                        "Partitions lost (session timed out): their uncommitted offsets will be redelivered",
                        metadata: ["kafka.partitions": "\(list.count)"]
                    )
                }
                // Before giving the partitions up, so the caller can flush and commit what it finished.
                rebalance.handler(.revoked(list))
                context.check(rd_kafka_assign(handle, nil), "Revoking \(list.count) partitions")
                rebalance.revoked(list)
            default:
                context.logger.error(
                    "Rebalance failed; dropping the assignment",
                    metadata: ["kafka.error": "\(KafkaError.text(of: code))"]
                )
                rebalance.handler(.revoked(list))
                context.check(rd_kafka_assign(handle, nil), "Clearing the assignment")
                rebalance.revoked(list)
            }
        }
    }
}

extension CallbackContext {
    /// Errors inside a callback cannot be thrown: they go to the error handler.
    func check(_ result: rd_kafka_resp_err_t, _ what: String) {
        guard result != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        errorHandler(KafkaError(result, operation: .poll, what), false)
    }
}
