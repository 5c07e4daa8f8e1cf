import Foundation
import Logging
import VigilCore
import VigilKafka

/// `exactly-once`: one Kafka transaction at a time holds the alerts, dead-letter copies and state writes of the
/// events handled since the last commit, together with those events' input offsets. It commits every
/// `commitInterval` (and before a revoke or a stop); a crash before the commit leaves none of it committed, so the
/// next owner processes those events again from the same state.
extension ProcessingLoop {
    var isTransactional: Bool { settings.guarantee == .exactlyOnce }

    /// Registers the transactional id (fencing an older instance that used it) before consuming.
    func initTransactions() throws(KafkaError) {
        try producer.initTransactions(timeout: .seconds(60))
        logger.info("transactions initialised; processing exactly once")
    }

    /// Opens the transaction the next outputs go into, if none is open.
    func beginTransactionIfNeeded() {
        guard isTransactional, transactionStartedAt == nil, fatalKafkaError.withLock({ $0 }) == nil else { return }
        do {
            try producer.beginTransaction()
            transactionStartedAt = Date()
        } catch {
            transactionFailed(error)
        }
    }

    /// Commits the open transaction once it has been open for `commitInterval`, or at once with `force`.
    func commitTransactionIfDue(force: Bool = false) {
        guard isTransactional, let started = transactionStartedAt, fatalKafkaError.withLock({ $0 }) == nil else { return }
        guard force || Date().timeIntervalSince(started) >= settings.commitInterval else { return }
        // Every changed patient's state goes into this transaction, with the offsets of the events that changed it.
        persistChangedState(all: true)
        let offsets = Dictionary(tracker.takeStorable(), uniquingKeysWith: max)
        // An empty transaction is left open (beginning one is local): nothing to commit, nothing to count.
        guard transactionHasOutputs || !offsets.isEmpty else { return }
        do throws(KafkaError) {
            if let failure = transactionFailure { throw failure }
            try producer.sendOffsetsToTransaction(offsets, consumer: consumer, timeout: .seconds(settings.shutdownTimeout))
            try commitWithRetries()
            transactionStartedAt = nil
            transactionHasOutputs = false
            metrics.transactionsCommitted.increment()
        } catch {
            transactionFailed(error)
        }
    }

    /// A delivery of the open transaction failed: the commit will fail, so it is aborted at the commit instead
    /// (librdkafka serves delivery reports inside the commit call, where an abort would conflict).
    func transactionOutputFailed(_ error: KafkaError) {
        transactionFailure = transactionFailure ?? error
    }

    /// librdkafka asks for a commit to be called again after a retriable error (a timeout, a coordinator move).
    private func commitWithRetries() throws(KafkaError) {
        let deadline = Date().addingTimeInterval(settings.shutdownTimeout)
        while true {
            do {
                return try producer.commitTransaction(timeout: .seconds(max(1, deadline.timeIntervalSinceNow)))
            } catch where error.isRetriable && !error.requiresAbort && error.code != .fatal && Date() < deadline {
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
        guard isTransactional, transactionStartedAt != nil else { return }
        transactionStartedAt = nil
        transactionHasOutputs = false
        transactionFailure = nil
        do {
            try producer.abortTransaction(timeout: .seconds(settings.shutdownTimeout))
        } catch {
            logger.error("aborting the transaction failed", metadata: ["kafka.error": .string(error.description)])
        }
    }
}
