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
    /// A commit under way: the sealed checkpoints' state writes are in the open transaction, which commits with
    /// these offsets once everything in it is acknowledged. Processing goes on meanwhile.
    var committing: [TopicPartition: Int64]?
    /// Outputs of events handled while a commit is under way: they belong to the next transaction (their offsets
    /// are not in this one), so they are produced once it begins.
    var deferred: [DeferredOutput] = []
    var deferredBytes = 0
    /// The newest checkpoint an output in this transaction belongs to, and the newest its offsets cover: a commit
    /// with an output beyond its offsets would publish it for an event that a crash then processes again.
    var newestOutputCheckpoint: UInt64 = 0
    var offsetsCoverThrough: UInt64 = 0

    struct DeferredOutput {
        var record: OutboundRecord
        var checkpoint: UInt64
        var receivedAt: UInt64?
    }

    mutating func holdBack(_ output: DeferredOutput) {
        deferred.append(output)
        deferredBytes += output.record.byteCount
    }

    /// Forgets the held-back outputs (after a revoke): their events are redelivered to the partitions' next owner.
    mutating func dropHeldBack() {
        deferred.removeAll()
        deferredBytes = 0
    }
}

/// `exactly-once`: one Kafka transaction per checkpoint holds the alerts and dead-letter copies produced since the
/// last one, the checkpoint's state writes and its input offsets. A crash before the commit leaves none of it
/// committed, so the next owner processes those events again from the same state.
///
/// Committing does not stop the loop: the sealed checkpoints' state writes go into the open transaction, which
/// commits once the broker has acknowledged everything in it (librdkafka's commit would otherwise wait for that
/// flush, a third of the time at a high rate). Events handled meanwhile have their outputs held back for the next
/// transaction, which carries their offsets.
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

    /// Each turn: starts committing what is sealed, or completes the commit under way once everything in its
    /// transaction is acknowledged (or a delivery failed, which aborts it).
    func advanceTransaction() {
        if transaction.committing != nil {
            guard outbound.isEmpty || transaction.failure != nil else { return }
            finishCommit()
        } else if checkpoints.sealedCount > 0 {
            startCommit()
        }
    }

    /// Synchronously (a revoke, a stop): completes the commit under way, then commits everything sealed.
    func commitTransaction() {
        if transaction.committing != nil { finishCommit() }
        if startCommit() { finishCommit() }
    }

    /// Seals what was handled since the last seal, so that the offsets cover every output already in the open
    /// transaction (the held-back outputs produced after the last commit, and any since), and puts the sealed
    /// checkpoints' state writes into it; returns whether it is now to commit.
    @discardableResult
    private func startCommit() -> Bool {
        beginTransactionIfNeeded()
        guard transaction.isOpen, transaction.committing == nil, fatalKafkaError.withLock({ $0 }) == nil else { return false }
        sealCheckpoint(now: clock.now())
        transaction.offsetsCoverThrough = checkpoints.openId - 1
        let (writes, offsets) = checkpoints.takeAllSealed()
        // Checkpoint 0 is none: the transaction's commit, not their acknowledgements, completes these writes.
        produceStateWrites(writes, checkpoint: 0)
        // An empty transaction is left open (beginning one is local): nothing to commit, nothing to count.
        guard transaction.hasOutputs || !offsets.isEmpty else { return false }
        transaction.committing = offsets
        return true
    }

    /// Commits the open transaction with the offsets of the commit under way (librdkafka flushes what is still
    /// unacknowledged), then produces the outputs held back for the next one.
    private func finishCommit() {
        guard let offsets = transaction.committing else { return }
        let deferred = transaction.deferred
        do throws(KafkaError) {
            if let failure = transaction.failure { throw failure }
            guard transaction.newestOutputCheckpoint <= transaction.offsetsCoverThrough else {
                // A self-check that never fires: aborting keeps exactly-once should the bookkeeping ever be wrong.
                throw KafkaError(code: .commit, message: "internal: an output of checkpoint \(transaction.newestOutputCheckpoint) in a transaction whose offsets cover checkpoint \(transaction.offsetsCoverThrough)")
            }
            try producer.sendOffsetsToTransaction(offsets, consumer: consumer, timeout: .seconds(settings.shutdownTimeout))
            try commitWithRetries()
            transaction = TransactionState()
            // The commit flushed every output of the transaction.
            outbound.removeAll()
            metrics.transactionsCommitted.increment()
            metrics.checkpointsCommitted.increment()
        } catch {
            // Aborted (the held-back outputs with it: their events are processed again), or fenced.
            transactionFailed(error)
            return
        }
        for output in deferred {
            produce(output.record, token: outbound.add(output.record, checkpoint: output.checkpoint, receivedAt: output.receivedAt))
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
