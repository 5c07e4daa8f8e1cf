import Foundation
import Logging
import VigilCore
import VigilKafka

/// Durable patient state: restore on assignment, timers and retention.
extension ProcessingLoop {
    /// Reads the changelog partitions of newly assigned input partitions into the store, before any of their
    /// events is handled (this runs inside the assignment callback). Readiness is false meanwhile.
    func restoreState(partitions: [Int32]) {
        guard !partitions.isEmpty else { return }
        let started = clock.now()
        health.update { $0.stateReady = false; $0.restore = .init(restoring: true, partitions: partitions.count) }
        logger.info("restoring patient state", metadata: ["kafka.partitions": .stringConvertible(partitions.count)])
        var records = 0
        var unreadable = 0
        do {
            let reader = try KafkaChangelogReader(properties: kafkaProperties, logger: logger)
            var reserved = false
            try reader.read(topic: settings.stateTopic, partitions: partitions, timeout: .seconds(settings.restoreTimeout), progress: { read, total in
                if !reserved { store.reserveCapacity(forRecords: Int(total)); reserved = true }
                health.update { $0.restore.recordsRead = read; $0.restore.recordsTotal = total }
            }) { message in
                records += 1
                guard let key = message.key else { return unreadable += 1 }
                let patientId = String(decoding: key, as: UTF8.self)
                guard let value = message.value else { return store[patientId] = nil }
                do {
                    guard var state = try PatientStateCodec.decode(value, patientId: patientId) else { return unreadable += 1 }
                    state.partition = message.partition
                    store[patientId] = state
                } catch {
                    unreadable += 1
                }
            }
        } catch {
            logger.critical("cannot restore patient state", metadata: ["kafka.error": .string(error.description)])
            fatalKafkaError.withLock { $0 = $0 ?? error }
            return
        }
        let restored = Set(partitions)
        var patients = 0
        let rules = rulesInForce
        store.forEach { slot, _, state in
            guard let partition = state.partition, restored.contains(partition) else { return }
            patients += 1
            timers[partition, default: TimerIndex()].schedule(slot, at: rules.engine.nextTimerDue(state))
            idlePatients.schedule(slot, at: state.latestEventTime.addingTimeInterval(settings.stateRetention))
            if state.latestEventTime > newestEventTime { newestEventTime = state.latestEventTime }
        }
        let seconds = clock.now().timeIntervalSince(started)
        health.update { snapshot in
            snapshot.stateReady = true
            snapshot.restore.restoring = false
            snapshot.restore.lastSeconds = seconds
            snapshot.restore.patients = patients
        }
        metrics.restoreSeconds.recordSeconds(seconds)
        if unreadable > 0 {
            logger.warning("state records that could not be read were skipped; those patients start afresh", metadata: ["vigil.records": .stringConvertible(unreadable)])
        }
        logger.info("patient state restored", metadata: [
            "kafka.partitions": .stringConvertible(partitions.count), "vigil.records": .stringConvertible(records),
            "vigil.patients": .stringConvertible(patients), "vigil.seconds": .string(String(format: "%.3f", seconds)),
        ])
    }

    /// Fires the timers that came due on the wall clock, for patients whose input partitions are all caught up.
    func fireDueTimers(now: Date) {
        adoptReloadedRules()
        let rules = rulesInForce
        let assigned = Dictionary(grouping: assignment, by: \.partition)
        for (partition, topicPartitions) in assigned {
            // Caught up, and nothing of the partition still waiting in the merge (a check-in may be among it).
            guard topicPartitions.allSatisfy(caughtUp.contains), !merge.hasBuffered(partition) else { continue }
            for slot in timers[partition]?.popDue(upTo: now) ?? [] where store.holds(slot) {
                let patientId = store.patientId(of: slot)
                let (alerts, nextDue) = store.withState(in: slot) { state in
                    (rules.engine.fireTimers(patientId: patientId, state: &state, now: now), rules.engine.nextTimerDue(state))
                }
                timers[partition, default: TimerIndex()].schedule(slot, at: nextDue)
                guard !alerts.isEmpty else { continue }
                for alert in alerts { send(alert) }
                checkpoints.changed(slot, partition: partition)
            }
        }
    }

    /// Drops patients idle for longer than the retention (in event time, from the newest event seen), from memory
    /// and, with a tombstone at the next checkpoint, from the changelog. A discharged patient is kept (a flag and no
    /// history) so that a late event cannot restart monitoring.
    func evictIdlePatients() {
        let cutoff = newestEventTime.addingTimeInterval(-settings.stateRetention)
        for slot in idlePatients.popDue(upTo: newestEventTime) where store.holds(slot) {
            let (latestEventTime, partition, isDischarged) = store.withState(in: slot) { ($0.latestEventTime, $0.partition, $0.isDischarged) }
            if isDischarged { continue }
            guard latestEventTime < cutoff else {
                // Active since it was scheduled: check again when it may next be idle.
                idlePatients.schedule(slot, at: latestEventTime.addingTimeInterval(settings.stateRetention))
                continue
            }
            store.remove(slot)
            if let partition {
                timers[partition]?.cancel(slot)
                checkpoints.changed(slot, partition: partition)
            }
        }
    }
}
