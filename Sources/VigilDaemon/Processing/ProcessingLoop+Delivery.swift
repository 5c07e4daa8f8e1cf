import Dispatch
import Foundation
import Logging
import VigilCore
import VigilKafka

/// Producing outputs and serving their delivery reports; moving checkpoints on and committing their offsets.
extension ProcessingLoop {
    /// Produces `record` now, counted against the open checkpoint.
    func send(_ record: OutboundRecord, receivedAt: UInt64? = nil) {
        let checkpoint = checkpoints.outputSent()
        if transaction.committing != nil {
            outputsHeldBack += 1
            return transaction.holdBack(.init(record: record, checkpoint: checkpoint, receivedAt: receivedAt))
        }
        produce(record, token: outbound.add(record, checkpoint: checkpoint, receivedAt: receivedAt))
    }

    func produce(_ record: OutboundRecord, token: UInt64) {
        beginTransactionIfNeeded()
        if isTransactional {
            transaction.hasOutputs = true
            transaction.newestOutputCheckpoint = max(transaction.newestOutputCheckpoint, outbound.checkpoint(of: token) ?? 0)
        }
        do {
            try record.produce(with: producer, token: token)
        } catch {
            failed(token, error: error, topic: record.topic)
        }
    }

    /// A produce or delivery failure: produced again after a back-off, unless no retry can succeed, in which
    /// case the daemon stops (exit 70) rather than skip the message or retry forever.
    func failed(_ token: UInt64, error: KafkaError, topic: String) {
        if isTransactional {
            // The open transaction cannot commit without this output: abort it rather than retry inside it.
            return transactionOutputFailed(error)
        }
        metrics.kafkaError(operation: "produce")
        if error.isPermanentProduceFailure {
            logger.critical("the broker will never accept an output; stopping without committing its input", metadata: [
                "kafka.topic": .string(topic), "kafka.error": .string(error.description),
            ])
            fatalKafkaError.withLock { $0 = $0 ?? error }
            return
        }
        logger.warning("delivery failed; producing again", metadata: ["kafka.topic": .string(topic), "kafka.error": .string(error.description)])
        outbound.failed(token, now: clock.now(), backoff: settings.redeliveryBackoff)
        updatePublishing()
    }

    func updatePublishing() {
        let publishing = outbound.failing.isEmpty
        guard health.snapshot.publishing != publishing else { return }
        health.update { $0.publishing = publishing }
        if publishing { logger.notice("publishing recovered") }
    }

    func delivered(_ report: DeliveryReport) {
        if let error = report.error {
            guard outbound.record(report.token) != nil else { return }
            return failed(report.token, error: error, topic: report.topic)
        }
        let wasFailing = outbound.failing.contains(report.token)
        guard let entry = outbound.acknowledged(report.token) else { return }
        checkpoints.acknowledged(entry.checkpoint)
        if let alert = entry.record.alert {
            metrics.alertPublished(rule: alert.rule, severity: alert.severity, notify: alert.notify)
            if let receivedAt = entry.receivedAt, let onAlertDelivered {
                onAlertDelivered(DispatchTime.now().uptimeNanoseconds - receivedAt)
            }
        }
        if wasFailing { updatePublishing() }
    }

    func produceDueRetries() {
        for (token, record) in outbound.takeDueRetries(now: clock.now()) {
            produce(record, token: token)
        }
    }

    /// Seals the open checkpoint when it is due, then (at-least-once) writes state and commits offsets for the
    /// sealed checkpoints whose outputs are acknowledged; (exactly-once) commits the transaction. `force` seals
    /// at once and commits synchronously. Returns false when a synchronous commit failed.
    @discardableResult
    func advanceCheckpoints(force: Bool = false) -> Bool {
        let now = clock.now()
        if force || checkpoints.isDue(now: now, interval: settings.checkpointInterval, maxDirtyBytes: settings.maxDirtyBytes) {
            sealCheckpoint(now: now)
        }
        if isTransactional {
            if force { commitTransaction() } else { advanceTransaction() }
            return true
        }
        var committed = true
        while let step = checkpoints.nextStep() {
            switch step {
            case .writeState(let checkpoint, let writes):
                produceStateWrites(writes, checkpoint: checkpoint)
            case .commit(let offsets):
                committed = commit(offsets, synchronously: force) && committed
            }
        }
        return committed
    }

    /// Produces a checkpoint's state writes (whole states, or tombstones) to the patients' changelog partitions,
    /// each counted against `checkpoint`.
    func produceStateWrites(_ writes: [Checkpointer.StateWrite], checkpoint: UInt64) {
        outbound.reserveCapacity(forAdditional: writes.count)
        for write in writes {
            let record = OutboundRecord(topic: settings.stateTopic, partition: write.partition, key: Array(write.patientId.utf8), value: write.value, headers: [])
            produce(record, token: outbound.add(record, checkpoint: checkpoint))
        }
        metrics.stateWrites.increment(by: writes.count)
    }

    func sealCheckpoint(now: Date) {
        checkpoints.seal(now: now, commitOffset: { partition, position in
            // Never past an event the merge still holds.
            merge.firstBufferedOffset(partition).map { min($0, position) } ?? position
        }, encode: { slot in
            let patientId = store.patientId(of: slot)
            guard store.holds(slot) else { return (patientId, nil) }
            return (patientId, store.withState(in: slot) { $0.isDischarged ? nil : PatientStateCodec.encode($0) })
        })
        // The seal named every removed patient in its tombstones: their slots may now take new patients.
        store.releaseRemovedSlots()
    }

    /// An asynchronous commit's failure reaches `kafkaError` through librdkafka's commit callback.
    func commit(_ offsets: [TopicPartition: Int64], synchronously: Bool) -> Bool {
        do {
            try consumer.commit(offsets, asynchronously: !synchronously)
            metrics.checkpointsCommitted.increment()
            return true
        } catch {
            metrics.kafkaError(operation: "commit")
            logger.warning("commit failed; the input since the last commit will be redelivered", metadata: ["kafka.error": .string(error.description)])
            return false
        }
    }

    func pauseInput() {
        consumer.pauseAssigned()
        backpressure.consumerPaused = true
        // Input may pile up at the broker while paused: no wall-clock timer fires until caught up again.
        caughtUp = []
    }

    func resumeInput() {
        consumer.resumeAssigned()
        backpressure.consumerPaused = false
    }
}
