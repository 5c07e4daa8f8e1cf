import VigilKafka

/// Which patients' state must be written to the changelog, and when it may be.
///
/// A patient's state is written once per turn of the loop however many of its events the turn handled, and only
/// once none of its alerts awaits acknowledgement: a restored state then never records an event whose alert could
/// still be lost (the restored instance would take the redelivered event for a duplicate). The write holds back
/// the first message of the patient in each input partition since the last write, so no offset is committed ahead
/// of the state that reflects it.
struct StateChangelog {
    private struct Pending {
        var token: UInt64
        /// The patient's input partition number: the changelog partition written.
        var partition: Int32
        var heldBack: Set<TopicPartition> = []
    }

    private var pending: [String: Pending] = [:]
    private var alertsInFlight: [String: Int] = [:]
    private var alertPatients: [UInt64: String] = [:]
    /// Patients with a pending write and no alert in flight.
    private var ready: Set<String> = []

    /// The patient's state changed (or was dropped) while handling `entry` (nil for a timer or eviction).
    mutating func changed(_ patientId: String, partition: Int32, entry: OffsetTracker.EntryRef?, tracker: inout OffsetTracker) {
        if var write = pending[patientId] {
            if let entry, !write.heldBack.contains(entry.partition) {
                tracker.attach(write.token, to: entry)
                write.heldBack.insert(entry.partition)
                pending[patientId] = write
            }
            return
        }
        var write = Pending(token: tracker.newOutput(), partition: partition)
        if let entry {
            tracker.attach(write.token, to: entry)
            write.heldBack.insert(entry.partition)
        }
        pending[patientId] = write
        if alertsInFlight[patientId] == nil { ready.insert(patientId) }
    }

    /// An alert or a state write for the patient was handed to the producer with `token`. The patient's next
    /// state write waits for it: after an alert so that no state records an event whose alert may be lost, after a
    /// state write so that a retried older snapshot cannot land after a newer one.
    mutating func outputSent(_ token: UInt64, patientId: String) {
        alertPatients[token] = patientId
        alertsInFlight[patientId, default: 0] += 1
        ready.remove(patientId)
    }

    /// `token` was acknowledged, or given up with its revoked partition.
    mutating func outputSettled(_ token: UInt64) {
        guard let patientId = alertPatients.removeValue(forKey: token) else { return }
        let remaining = (alertsInFlight[patientId] ?? 1) - 1
        alertsInFlight[patientId] = remaining > 0 ? remaining : nil
        if remaining <= 0, pending[patientId] != nil { ready.insert(patientId) }
    }

    /// The writes that may be produced now, each with its token and changelog partition; with `all`, every
    /// pending write, alerts in flight or not.
    mutating func takeReady(all: Bool = false) -> [(patientId: String, token: UInt64, partition: Int32)] {
        if all { ready.formUnion(pending.keys) }
        guard !ready.isEmpty else { return [] }
        let writes = ready.compactMap { patientId in
            pending.removeValue(forKey: patientId).map { (patientId, $0.token, $0.partition) }
        }
        ready.removeAll(keepingCapacity: true)
        return writes
    }

    /// Forgets the pending writes of patients on partitions given up (their next owner restores and reprocesses);
    /// returns their tokens, for the tracker to stop awaiting.
    mutating func drop(partitions: Set<Int32>) -> [UInt64] {
        var tokens: [UInt64] = []
        for (patientId, write) in pending where partitions.contains(write.partition) {
            pending[patientId] = nil
            ready.remove(patientId)
            tokens.append(write.token)
        }
        return tokens
    }

    var pendingCount: Int { pending.count }
}
