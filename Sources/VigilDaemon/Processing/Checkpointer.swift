import Foundation
import VigilCore
import VigilKafka

/// Checkpoints: the unit in which processing becomes durable, like Kafka Streams' record cache and commit interval.
///
/// Between two checkpoints an event only marks its patient dirty and moves its partition's position; alerts and
/// dead-letter copies go out at once and are counted against the open checkpoint. Sealing the checkpoint encodes
/// every dirty patient's state once (a snapshot taken between two events) and freezes the positions. A sealed
/// checkpoint then completes in order:
/// 1. its alerts and dead-letter copies (and those of every earlier checkpoint) are acknowledged, so that no state
///    written records an event whose alert could still be lost (a redelivered event would look like a duplicate);
/// 2. its state writes are produced, and acknowledged;
/// 3. its input offsets are committed.
/// A crash anywhere in between redelivers the events since the last commit, and the restored state (at most one
/// checkpoint ahead of the commit) knows them as processed, so no decision is taken twice.
///
/// Owned by the processing thread. Work per event is O(1); per checkpoint, proportional to the patients it changed.
struct Checkpointer {
    /// What the loop must do next for the oldest sealed checkpoints.
    enum Step: Equatable {
        /// Produce these state writes, each counted against `checkpoint` (acknowledge each with `acknowledged`).
        case writeState(checkpoint: UInt64, records: [StateWrite])
        /// Commit these input offsets (the next offset to read, per partition): everything before them is durable.
        case commit([TopicPartition: Int64])
    }

    /// One patient's state snapshot, or a tombstone (`value == nil`) for a patient dropped or discharged.
    struct StateWrite: Equatable {
        var patientId: String
        var partition: Int32
        var value: [UInt8]?
    }

    private struct Sealed {
        let id: UInt64
        var offsets: [TopicPartition: Int64]
        var stateWrites: [StateWrite]
        /// Outputs of this checkpoint not yet acknowledged.
        var awaiting: Int
    }

    /// The id outputs produced now belong to.
    private(set) var openId: UInt64 = 1
    private(set) var openedAt: Date
    private var openAwaiting = 0
    /// The patients changed since the last seal, each once, with the partition their state is written to.
    private var dirty: [(slot: PatientSlot, partition: Int32)] = []
    /// Indexed by slot: whether the slot is in `dirty` (no hashing per event).
    private var isDirty: [Bool] = []
    private var positions: [TopicPartition: Int64] = [:]
    private var sealed: [Sealed] = []
    /// Mean bytes of the state records written so far: estimates what the dirty set will cost to write.
    private var meanRecordBytes = 128.0

    init(now: Date) {
        openedAt = now
    }

    /// Patients changed since the last seal.
    var dirtyCount: Int { dirty.count }
    /// Estimated bytes of the state writes the next seal would make.
    var dirtyBytes: Int { Int(Double(dirty.count) * meanRecordBytes) }
    /// Checkpoints sealed and not yet committed.
    var sealedCount: Int { sealed.count }
    /// Nothing handled since the last seal and nothing sealed awaits completion.
    var isIdle: Bool { sealed.isEmpty && dirty.isEmpty && positions.isEmpty && openAwaiting == 0 }

    /// The input message at `offset` is handled (an event passed to the merge, or a message dead-lettered).
    mutating func handled(_ partition: TopicPartition, offset: Int64) {
        positions[partition] = offset + 1
    }

    /// The patient's state changed (or was dropped): the next seal writes it, to the partition given the first time
    /// (a patient's input partition changes only across a rebalance, which resets the checkpoints).
    mutating func changed(_ slot: PatientSlot, partition: Int32) {
        let index = Int(slot.index)
        if index >= isDirty.count { isDirty.append(contentsOf: repeatElement(false, count: index + 1 - isDirty.count)) }
        guard !isDirty[index] else { return }
        isDirty[index] = true
        dirty.append((slot, partition))
    }

    /// An output is being produced: returns the checkpoint it belongs to; it must be `acknowledged` with that id.
    mutating func outputSent() -> UInt64 {
        openAwaiting += 1
        return openId
    }

    /// An output of checkpoint `id` was acknowledged by the broker. Ids of checkpoints already dropped are ignored.
    mutating func acknowledged(_ id: UInt64) {
        if id == openId {
            openAwaiting -= 1
        } else if let first = sealed.first?.id, id >= first, id < openId {
            sealed[Int(id - first)].awaiting -= 1
        }
    }

    /// Whether the open checkpoint should be sealed now: `interval` passed since it opened, or its dirty state
    /// passed `maxDirtyBytes` (which bounds the memory a seal takes).
    func isDue(now: Date, interval: TimeInterval, maxDirtyBytes: Int) -> Bool {
        guard !dirty.isEmpty || !positions.isEmpty || openAwaiting > 0 else { return false }
        return now.timeIntervalSince(openedAt) >= interval || dirtyBytes >= maxDirtyBytes
    }

    /// Seals the open checkpoint: snapshots the dirty patients' state through `encode` (the patient's id, and its
    /// state record or nil for a tombstone) and the positions through `commitOffset` (which may hold a position
    /// back, e.g. behind events the merge still holds).
    mutating func seal(
        now: Date,
        commitOffset: (TopicPartition, Int64) -> Int64,
        encode: (PatientSlot) -> (patientId: String, value: [UInt8]?)
    ) {
        defer { openedAt = now }
        guard !dirty.isEmpty || !positions.isEmpty || openAwaiting > 0 else { return }
        var offsets: [TopicPartition: Int64] = [:]
        var heldBack: [TopicPartition: Int64] = [:]
        offsets.reserveCapacity(positions.count)
        for (partition, position) in positions {
            let offset = commitOffset(partition, position)
            offsets[partition] = offset
            // The rest of the way is committed by a later checkpoint, once what held it back is handled.
            if offset < position { heldBack[partition] = position }
        }
        var writes: [StateWrite] = []
        writes.reserveCapacity(dirty.count)
        var bytes = 0
        for (slot, partition) in dirty {
            let (patientId, value) = encode(slot)
            bytes += value?.count ?? 0
            writes.append(StateWrite(patientId: patientId, partition: partition, value: value))
            isDirty[Int(slot.index)] = false
        }
        if bytes > 0 { meanRecordBytes = 0.8 * meanRecordBytes + 0.2 * Double(bytes) / Double(writes.count) }
        sealed.append(Sealed(id: openId, offsets: offsets, stateWrites: writes, awaiting: openAwaiting))
        openId += 1
        openAwaiting = 0
        dirty.removeAll(keepingCapacity: true)
        positions = heldBack
    }

    /// The next thing to do for the sealed checkpoints, oldest first; nil while they wait for acknowledgements.
    /// Consecutive completed checkpoints are committed together.
    mutating func nextStep() -> Step? {
        var offsets: [TopicPartition: Int64] = [:]
        while let head = sealed.first, head.awaiting == 0 {
            if !head.stateWrites.isEmpty {
                // Commit what is complete before starting the next checkpoint's writes.
                if !offsets.isEmpty { return .commit(offsets) }
                sealed[0].awaiting = head.stateWrites.count
                sealed[0].stateWrites = []
                return .writeState(checkpoint: head.id, records: head.stateWrites)
            }
            offsets.merge(head.offsets, uniquingKeysWith: max)
            sealed.removeFirst()
        }
        return offsets.isEmpty ? nil : .commit(offsets)
    }

    /// `exactly-once`: takes every sealed checkpoint's state writes and offsets at once, without waiting for
    /// acknowledgements (the transaction that holds them commits or aborts as a whole).
    mutating func takeAllSealed() -> (writes: [StateWrite], offsets: [TopicPartition: Int64]) {
        var writes: [StateWrite] = []
        var offsets: [TopicPartition: Int64] = [:]
        for checkpoint in sealed {
            writes += checkpoint.stateWrites
            offsets.merge(checkpoint.offsets, uniquingKeysWith: max)
        }
        sealed.removeAll()
        return (writes, offsets)
    }

    /// Forgets everything sealed and open (after a revoke or on a fatal error): uncommitted input is redelivered.
    mutating func reset(now: Date) {
        sealed.removeAll()
        for (slot, _) in dirty { isDirty[Int(slot.index)] = false }
        dirty.removeAll()
        positions.removeAll()
        openAwaiting = 0
        openId += 1
        openedAt = now
    }
}
