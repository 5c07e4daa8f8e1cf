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
            backpressure.reset()
            // A revoke dropped its partitions' patients, so every partition assigned is restored from the changelog:
            // another instance may have owned it meanwhile (or this one lost it).
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
            // Before the merge forgets its buffered events: they hold the partitions' commits back.
            if !crashRequested.load(ordering: .acquiring) { finishCheckpoints(deadline: stoppedWaitingAt ?? clock.now().addingTimeInterval(settings.shutdownTimeout)) }
            merge.drop(partitions)
            forgetRevoked(partitions)
        }
    }

    /// Seals what is in hand and completes every checkpoint by `deadline`: outputs acknowledged, state written,
    /// offsets committed synchronously (or the transaction committed). Returns whether all completed; what did not
    /// is redelivered to the partitions' next owner.
    @discardableResult
    func finishCheckpoints(deadline: Date) -> Bool {
        guard !isTransactional else {
            advanceCheckpoints(force: true)
            return checkpoints.sealedCount == 0 && fatalKafkaError.withLock({ $0 }) == nil
        }
        sealCheckpoint(now: clock.now())
        var committed = true
        while true {
            // Synchronous commits: the partitions are given up (or the process ends) right after this.
            committed = advanceCheckpoints(force: true) && committed
            if checkpoints.sealedCount == 0 { return committed }
            guard clock.now() < deadline, fatalKafkaError.withLock({ $0 }) == nil else {
                logger.warning("not every checkpoint completed in time; its input will be redelivered", metadata: ["vigil.awaiting": .stringConvertible(outbound.count)])
                return false
            }
            producer.poll(timeout: .milliseconds(20))
            produceDueRetries()
        }
    }

    /// After a revoke: what was in hand for those partitions is redelivered to their next owner.
    private func forgetRevoked(_ partitions: [TopicPartition]) {
        let numbers = Set(partitions.map(\.partition))
        for slot in store.drop(partitions: numbers) { idlePatients.cancel(slot) }
        for number in numbers { timers[number] = nil }
        // Eager rebalancing (the range assignor) revokes everything: whatever did not complete is given up.
        checkpoints.reset(now: clock.now())
        store.releaseRemovedSlots()
        outbound.removeAll()
        transaction.dropHeldBack()
        updatePublishing()
        assignment = []
        caughtUp = []
        for partition in partitions { metrics.forgetLag(topic: partition.topic, partition: partition.partition) }
    }

    func kafkaError(_ error: KafkaError, fatal: Bool) {
        if fatal {
            logger.critical("fatal Kafka error", metadata: ["kafka.error": .string(error.description)])
            if error.description.contains("Static consumer fenced") {  // librdkafka: FENCED_INSTANCE_ID
                logger.critical("another consumer joined the group with this instance's group.instance.id; give each instance its own kafka.groupInstanceId")
            }
            fatalKafkaError.withLock { $0 = error }
        } else {
            logger.warning("Kafka error", metadata: ["kafka.error": .string(error.description)])
            metrics.kafkaError(operation: error.code == .commit ? "commit" : error.code == .produce ? "produce" : "poll")
        }
    }

    func housekeeping() {
        let now = clock.now()
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
        fireDueTimers(now: now)
        let allCaughtUp = !assignment.isEmpty && assignment.allSatisfy(caughtUp.contains)
        let transactionIdle = transaction.committing == nil && transaction.deferred.isEmpty
        let isIdle = allCaughtUp && checkpoints.isIdle && outbound.isEmpty && transactionIdle
        if isIdle {
            outbound.releaseSpareCapacity()
            // Just caught up: this thread's allocator cache holds blocks of the backlog's freed messages (allocated
            // by librdkafka's fetch threads), which keep their pages resident until the cache is flushed.
            if !isCaughtUpAndIdle.load(ordering: .relaxed) { Allocator.flushThreadCache() }
        }
        isCaughtUpAndIdle.store(isIdle, ordering: .releasing)
        if now.timeIntervalSince(lastEviction) >= 60 {
            lastEviction = now
            evictIdlePatients()
        }
    }

    /// Graceful stop within `shutdownTimeout`: most of it completing the checkpoints, the rest reserved for leaving
    /// the group.
    func drain() throws {
        let start = clock.now()
        merge.releaseAll { apply($0) }
        logger.info("stopping: completing the last checkpoint", metadata: ["vigil.awaiting": .stringConvertible(outbound.count)])
        let completed = finishCheckpoints(deadline: start.addingTimeInterval(settings.shutdownTimeout * 0.8))
        let unacknowledged = outbound.count
        stoppedWaitingAt = clock.now()
        consumer.close()
        if let error = fatalKafkaError.withLock({ $0 }) { throw error }
        guard completed else {
            throw DaemonError(.shutdownIncomplete, "\(unacknowledged) outputs were not acknowledged within \(Int(settings.shutdownTimeout)) s; their inputs stay uncommitted")
        }
        logger.info(isTransactional ? "stopped cleanly: last transaction committed, group left" : "stopped cleanly: offsets committed, group left")
    }

    /// `vigil bench`: leaves the group without completing a checkpoint (a real crash would not leave it either,
    /// and the group would wait for the session timeout instead).
    func crash() {
        stoppedWaitingAt = clock.now()
        consumer.close()
    }

    /// After a fatal error: leave the group without waiting for anything. Only completed checkpoints were
    /// committed; the rest is redelivered.
    func abandon() {
        stoppedWaitingAt = clock.now()
        if isTransactional { abortOpenTransaction() }
        checkpoints.reset(now: clock.now())
        consumer.close()
    }
}
