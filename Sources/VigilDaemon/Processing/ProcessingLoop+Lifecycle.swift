import Dispatch
import Foundation
import Logging
import VigilCore
import VigilKafka

/// Rebalances, Kafka errors, periodic housekeeping and stopping.
extension ProcessingLoop {
    func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned(let partitions):
            logger.info("partitions assigned", metadata: ["kafka.partitions": .stringConvertible(partitions.count)])
            isPaused = false
            // A revoke dropped its partitions' patients, so every partition assigned is restored from the changelog:
            // another instance may have owned it meanwhile (or this one lost it), and an output unacknowledged at the
            // revoke must not leave its event marked as processed in memory.
            let toRestore = Set(partitions.map(\.partition)).subtracting(store.partitions).sorted()
            assignment = partitions
            caughtUp = []
            health.update { snapshot in
                snapshot.inGroup = true
                snapshot.partitions = partitions.map { .init(topic: $0.topic, partition: $0.partition, lag: nil) }
            }
            restoreState(partitions: toRestore)
        case .revoked(let partitions):
            logger.info("partitions revoked; finishing what is in hand", metadata: ["kafka.partitions": .stringConvertible(partitions.count)])
            health.update { snapshot in
                snapshot.inGroup = false
                snapshot.partitions = []
            }
            merge.drop(partitions)
            if isTransactional {
                commitTransactionIfDue(force: true)
                return forgetRevoked(partitions)
            }
            // Alerts first, then the state writes they allowed, then the offsets those allowed.
            let deadline = shutdownDeadline ?? Date().addingTimeInterval(settings.shutdownTimeout)
            var flushed = producer.flush(timeout: .milliseconds(Int64(max(0, deadline.timeIntervalSinceNow) * 1000)))
            persistChangedState()
            flushed = producer.flush(timeout: .milliseconds(Int64(max(0, deadline.timeIntervalSinceNow) * 1000))) && flushed
            if !flushed {
                logger.warning("not every output was acknowledged before the revoke; their inputs will be redelivered")
            }
            storeOffsets()
            commit()
            forgetRevoked(partitions)
        }
    }

    /// After a revoke: what was in hand for those partitions is redelivered to their next owner.
    private func forgetRevoked(_ partitions: [TopicPartition]) {
        tracker.forget(partitions)
        let numbers = Set(partitions.map(\.partition))
        store.drop(partitions: numbers)
        for token in changelog.drop(partitions: numbers) { tracker.abandon(token) }
        for (token, record) in outbound where !tracker.isAwaiting(token) {
            awaitingBytes -= record.byteCount
            outbound[token] = nil
            changelog.outputSettled(token)
        }
        redeliveries.removeAll { !tracker.isAwaiting($0.token) }
        failedTokens = failedTokens.filter(tracker.isAwaiting)
        updatePublishing()
        assignment = []
        caughtUp = []
        for partition in partitions { metrics.forgetLag(topic: partition.topic, partition: partition.partition) }
    }

    func kafkaError(_ error: KafkaError, fatal: Bool) {
        if fatal {
            logger.critical("fatal Kafka error", metadata: ["kafka.error": .string(error.description)])
            fatalKafkaError.withLock { $0 = error }
        } else {
            logger.warning("Kafka error", metadata: ["kafka.error": .string(error.description)])
            metrics.kafkaError(operation: error.code == .commit ? "commit" : error.code == .produce ? "produce" : "poll")
        }
    }

    func housekeeping() {
        let now = Date()
        guard now.timeIntervalSince(lastHousekeeping) >= 1 else { return }
        lastHousekeeping = now
        health.loopBeat(now: now)
        let lags = consumer.assignmentLag()
        for (partition, lag) in lags {
            if let lag { metrics.consumerLag(topic: partition.topic, partition: partition.partition, lag: lag) }
        }
        health.update { snapshot in
            snapshot.partitions = lags.map { .init(topic: $0.0.topic, partition: $0.0.partition, lag: $0.1) }
        }
        fireDueTimers(now: clock.now())
        if now.timeIntervalSince(lastEviction) >= 60 {
            lastEviction = now
            evictIdlePatients()
        }
    }

    /// Graceful stop within `shutdownTimeout`: most of it waiting for acknowledgements, the rest reserved for the
    /// final commit and leaving the group.
    func drain() throws {
        let start = Date()
        let deadline = start.addingTimeInterval(settings.shutdownTimeout)
        let acknowledgementDeadline = start.addingTimeInterval(settings.shutdownTimeout * 0.8)
        shutdownDeadline = deadline
        merge.releaseAll { apply($0) }
        if isTransactional {
            commitTransactionIfDue(force: true)
            shutdownDeadline = Date()
            consumer.close()
            if let error = fatalKafkaError.withLock({ $0 }) { throw error }
            return logger.info("stopped cleanly: last transaction committed, group left")
        }
        logger.info("stopping: waiting for acknowledgements", metadata: ["vigil.awaiting": .stringConvertible(tracker.awaitingCount)])
        persistChangedState()
        while tracker.awaitingCount > 0, Date() < acknowledgementDeadline, fatalKafkaError.withLock({ $0 }) == nil {
            producer.poll(timeout: .milliseconds(100))
            produceDueRedeliveries()
            persistChangedState()
            storeOffsets()
        }
        storeOffsets()
        commit()
        let unacknowledged = tracker.awaitingCount
        shutdownDeadline = Date()
        consumer.close()
        if let error = fatalKafkaError.withLock({ $0 }) { throw error }
        guard unacknowledged == 0 else {
            throw DaemonError(.shutdownIncomplete, "\(unacknowledged) outputs were not acknowledged within \(Int(settings.shutdownTimeout)) s; their inputs stay uncommitted")
        }
        logger.info("stopped cleanly: offsets committed, group left")
    }

    /// After a fatal error: commit what is finished and leave the group without waiting for anything else.
    func abandon() {
        shutdownDeadline = Date()
        if isTransactional {
            abortOpenTransaction()
        } else {
            storeOffsets()
            commit()
        }
        consumer.close()
    }
}
