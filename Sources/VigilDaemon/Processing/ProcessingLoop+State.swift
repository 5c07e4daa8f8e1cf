import Foundation
import Logging
import VigilCore
import VigilKafka

/// Durable patient state: changelog writes, restore on assignment, timers and retention.
extension ProcessingLoop {
    /// Produces the state writes that are ready (see `StateChangelog`): the patient's whole state, or a tombstone
    /// when it was dropped or the patient discharged.
    /// `all` (in a transaction) does not wait for alerts in flight: the transaction holds both.
    func persistChangedState(all: Bool = false) {
        for write in changelog.takeReady(all: all) {
            let state = store[write.patientId]
            let value = state.flatMap { $0.isDischarged ? nil : PatientStateCodec.encode($0) }
            let record = OutboundRecord(topic: settings.stateTopic, partition: write.partition, key: Array(write.patientId.utf8), value: value, headers: [])
            changelog.outputSent(write.token, patientId: write.patientId)
            outbound[write.token] = record
            awaitingBytes += record.byteCount
            produce(record, token: write.token)
            metrics.stateWrites.increment()
        }
    }

    /// Reads the changelog partitions of newly assigned input partitions into the store, before any of their
    /// events is handled (this runs inside the assignment callback). Readiness is false meanwhile.
    func restoreState(partitions: [Int32]) {
        guard !partitions.isEmpty else { return }
        let started = Date()
        health.update { $0.stateReady = false; $0.restore = .init(restoring: true, partitions: partitions.count) }
        logger.info("restoring patient state", metadata: ["kafka.partitions": .stringConvertible(partitions.count)])
        var records = 0
        var unreadable = 0
        do {
            let reader = try KafkaChangelogReader(properties: kafkaProperties, logger: logger)
            try reader.read(topic: settings.stateTopic, partitions: partitions, timeout: .seconds(settings.restoreTimeout), progress: { read, total in
                health.update { $0.restore.recordsRead = read; $0.restore.recordsTotal = total }
            }) { message in
                records += 1
                guard let key = message.key else { return unreadable += 1 }
                let patientId = String(decoding: key, as: UTF8.self)
                guard let value = message.value else { return store[patientId] = nil }
                do {
                    guard var state = try PatientStateCodec.decode(value) else { return unreadable += 1 }
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
        let seconds = Date().timeIntervalSince(started)
        let restored = Set(partitions)
        let patients = store.patients.values.reduce(0) { $0 + ($1.partition.map(restored.contains) == true ? 1 : 0) }
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
        let assigned = Dictionary(grouping: assignment, by: \.partition)
        // Caught up, and nothing of the partition still waiting in the merge (a check-in may be among it).
        let live = Set(assigned.filter { $0.value.allSatisfy(caughtUp.contains) && !merge.hasBuffered($0.key) }.keys)
        guard !live.isEmpty else { return }
        var due: [(String, Int32)] = []
        for (patientId, state) in store.patients {
            guard let partition = state.partition, live.contains(partition), let next = engine.nextTimerDue(state), next <= now else { continue }
            due.append((patientId, partition))
        }
        for (patientId, partition) in due {
            let alerts = store.withState(of: patientId) { engine.fireTimers(patientId: patientId, state: &$0, now: now) }
            guard !alerts.isEmpty else { continue }
            for alert in alerts { send(alert, heldBack: nil) }
            changelog.changed(patientId, partition: partition, entry: nil, tracker: &tracker)
        }
    }

    /// Drops patients idle for longer than the retention, from memory and (with a tombstone) from the changelog.
    func evictIdlePatients() {
        for (patientId, partition) in store.evictIdle(retention: settings.stateRetention) {
            guard let partition else { continue }
            changelog.changed(patientId, partition: partition, entry: nil, tracker: &tracker)
        }
    }
}
