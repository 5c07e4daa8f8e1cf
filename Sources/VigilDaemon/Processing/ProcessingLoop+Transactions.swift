import Foundation
import Logging
import VigilCore
import VigilKafka

/// The open Kafka transaction of `exactly-once`.
struct TransactionState {
    var isOpen = false
    /// Whether anything was produced in the open transaction.
    var hasOutputs = false
    /// The first delivery failure in the open transaction; it is aborted at its commit.
    var failure: KafkaError?
}

/// `exactly-once`: one Kafka transaction per checkpoint holds the alerts and dead-letter copies produced since the
/// last one, the checkpoint's state writes and its input offsets. A crash before the commit leaves none of it
/// committed, so the next owner processes those events again from the same state.
extension ProcessingLoop {
    var isTransactional: Bool { settings.guarantee == .exactlyOnce }

    /// Registers the transactional id (fencing an older instance that used it) before consuming.
    func initTransactions() throws(KafkaError) {
        try producer.initTransactions(timeout: .seconds(60))
        logger.info("transactions initialised; processing exactly once")
    }

    /// Opens the transaction the next outputs go into, if none is open.
    func beginTransactionIfNeeded() {
        guard isTransactional, !transaction.isOpen, fatalKafkaError.withLock({ $0 }) == nil else { return }
        do {
            try producer.beginTransaction()
            transaction.isOpen = true
        } catch {
            transactionFailed(error)
        }
    }

    /// Commits the sealed checkpoints in the open transaction: their state writes and offsets join its outputs.
    func commitTransaction() {
        beginTransactionIfNeeded()
        guard transaction.isOpen, fatalKafkaError.withLock({ $0 }) == nil else { return }
        let (writes, offsets) = checkpoints.takeAllSealed()
        // Checkpoint 0 is none: the transaction's commit, not their acknowledgements, completes these writes.
        produceStateWrites(writes, checkpoint: 0)
        // An empty transaction is left open (beginning one is local): nothing to commit, nothing to count.
        guard transaction.hasOutputs || !offsets.isEmpty else { return }
        do throws(KafkaError) {
            if let failure = transaction.failure { throw failure }
            try producer.sendOffsetsToTransaction(offsets, consumer: consumer, timeout: .seconds(settings.shutdownTimeout))
            try commitWithRetries()
            transaction = TransactionState()
            // The commit flushed every output of the transaction.
            outbound.removeAll()
            metrics.transactionsCommitted.increment()
            metrics.checkpointsCommitted.increment()
        } catch {
            transactionFailed(error)
        }
    }

    /// A delivery of the open transaction failed: the commit will fail, so it is aborted at the commit instead
    /// (librdkafka serves delivery reports inside the commit call, where an abort would conflict).
    func transactionOutputFailed(_ error: KafkaError) {
        transaction.failure = transaction.failure ?? error
    }

    /// librdkafka asks for a commit to be called again after a retriable error (a timeout, a coordinator move).
    private func commitWithRetries() throws(KafkaError) {
        let deadline = clock.now().addingTimeInterval(settings.shutdownTimeout)
        while true {
            do {
                return try producer.commitTransaction(timeout: .seconds(max(1, deadline.timeIntervalSince(clock.now()))))
            } catch where error.isRetriable && !error.requiresAbort && error.code != .fatal && clock.now() < deadline {
                logger.warning("transaction commit will be retried", metadata: ["kafka.error": .string(error.description)])
            }
        }
    }

    /// A transaction that cannot commit. Abortable: abort it, so that nothing of it is committed, and stop (exit
    /// 70); the restarted daemon (or the group's next owner) processes its events again from the last committed
    /// transaction. Fatal (fenced by a newer instance with the same transactional id): stop without touching anything.
    func transactionFailed(_ error: KafkaError) {
        guard fatalKafkaError.withLock({ $0 }) == nil else { return }
        metrics.kafkaError(operation: "commit")
        if error.code == .fatal {
            logger.critical("fenced or fatal transaction error: another instance took over this transactional id; stopping", metadata: ["kafka.error": .string(error.description)])
        } else {
            logger.critical("transaction aborted; stopping so that its events are processed again from the last commit", metadata: ["kafka.error": .string(error.description)])
            abortOpenTransaction()
            metrics.transactionsAborted.increment()
        }
        fatalKafkaError.withLock { $0 = $0 ?? error }
    }

    func abortOpenTransaction() {
        guard isTransactional, transaction.isOpen else { return }
        transaction = TransactionState()
        outbound.removeAll()
        do {
            try producer.abortTransaction(timeout: .seconds(settings.shutdownTimeout))
        } catch {
            logger.error("aborting the transaction failed", metadata: ["kafka.error": .string(error.description)])
        }
    }
}
