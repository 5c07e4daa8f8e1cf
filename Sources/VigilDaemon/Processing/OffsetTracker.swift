import VigilKafka

/// Decides which input offsets may be stored for commit: a message's offset only once it is handled and every
/// output it caused (alerts, a dead-letter copy, the state-changelog write of its patient) is acknowledged by the
/// broker, and never past an earlier message still waiting.
///
/// Each message is an entry with a count of what it still waits for. An output has a token, and one output may
/// release several entries (one state write covers every message of its patient since the last write), or none
/// (an alert fired by a timer). Owned by the processing thread. Entries are mutated in place, and the done prefix of
/// a queue is dropped in chunks, so each message costs O(1) however long the backlog.
struct OffsetTracker {
    /// One input message: its place in its partition's queue (an absolute index, stable across compaction).
    struct EntryRef: Hashable {
        var partition: TopicPartition
        var index: Int
    }

    fileprivate struct Entry {
        var offset: Int64
        var receivedAt: UInt64
        /// Outputs not yet acknowledged, plus one while the message is being handled.
        var pending: Int32
    }

    fileprivate struct Progress {
        /// Messages not yet storable, in offset order, from `head` on.
        var waiting: [Entry] = []
        var head = 0
        /// The absolute index of `waiting[0]`.
        var base = 0
        /// The next offset to store (one past the last contiguous done message), if it moved since the last take.
        var storable: Int64?
    }

    private var partitions: [TopicPartition: Progress] = [:]
    /// Each output awaiting acknowledgement, with the entries it holds back.
    private var outputs: [UInt64: [EntryRef]] = [:]
    private var nextToken: UInt64 = 1

    /// Outputs whose acknowledgement is awaited.
    var awaitingCount: Int { outputs.count }

    /// A message taken from the consumer: it holds back later offsets of its partition until `finish`.
    mutating func begin(_ partition: TopicPartition, offset: Int64, receivedAt: UInt64) -> EntryRef {
        let index = partitions[partition, default: Progress()].append(Entry(offset: offset, receivedAt: receivedAt, pending: 1))
        return EntryRef(partition: partition, index: index)
    }

    /// A new output, awaited until `delivered`; `attach` it to the entries it must hold back.
    mutating func newOutput() -> UInt64 {
        let token = nextToken
        nextToken += 1
        outputs[token] = []
        return token
    }

    /// Makes `entry` wait for `token`'s acknowledgement too.
    mutating func attach(_ token: UInt64, to entry: EntryRef) {
        guard outputs[token] != nil, partitions[entry.partition]?.increment(entry.index) == true else { return }
        outputs[token]?.append(entry)
    }

    /// The message is handled: it now waits only for its outputs.
    mutating func finish(_ entry: EntryRef, onDone: (UInt64) -> Void) {
        partitions[entry.partition]?.decrement(entry.index, onDone: onDone)
    }

    /// The broker acknowledged `token`; returns the receipt time of the first message it held back, if any.
    @discardableResult
    mutating func delivered(_ token: UInt64, onDone: (UInt64) -> Void) -> UInt64? {
        guard let entries = outputs.removeValue(forKey: token) else { return nil }
        var receivedAt: UInt64?
        for entry in entries {
            let time = partitions[entry.partition]?.decrement(entry.index, onDone: onDone)
            receivedAt = receivedAt ?? time
        }
        return receivedAt
    }

    /// The offsets that became storable since the last call.
    mutating func takeStorable() -> [(TopicPartition, Int64)] {
        var result: [(TopicPartition, Int64)] = []
        for (partition, progress) in partitions {
            guard let storable = progress.storable else { continue }
            result.append((partition, storable))
            partitions[partition]?.storable = nil
        }
        return result
    }

    /// Forgets revoked partitions: whatever was not stored is redelivered to their next owner. An output that held
    /// back only entries of those partitions is forgotten too (its input will be handled again); one attached to
    /// nothing (a timer's alert) stays awaited.
    mutating func forget(_ revoked: [TopicPartition]) {
        let revokedSet = Set(revoked)
        for partition in revoked { partitions[partition] = nil }
        for (token, entries) in outputs where entries.contains(where: { revokedSet.contains($0.partition) }) {
            let kept = entries.filter { !revokedSet.contains($0.partition) }
            outputs[token] = kept.isEmpty ? nil : kept
        }
    }

    /// Stops awaiting an output that will never be produced (its partition was given up).
    mutating func abandon(_ token: UInt64) {
        outputs[token] = nil
    }

    /// Whether `token` still waits (a revoke may have forgotten it).
    func isAwaiting(_ token: UInt64) -> Bool { outputs[token] != nil }
}

extension OffsetTracker.Progress {
    /// Returns the entry's absolute index.
    fileprivate mutating func append(_ entry: OffsetTracker.Entry) -> Int {
        waiting.append(entry)
        return base + waiting.count - 1
    }

    fileprivate mutating func increment(_ index: Int) -> Bool {
        let position = index - base
        guard position >= head, position < waiting.count else { return false }
        waiting[position].pending += 1
        return true
    }

    /// Returns the entry's receipt time.
    @discardableResult
    fileprivate mutating func decrement(_ index: Int, onDone: (UInt64) -> Void) -> UInt64? {
        let position = index - base
        guard position >= head, position < waiting.count else { return nil }
        waiting[position].pending -= 1
        let receivedAt = waiting[position].receivedAt
        while head < waiting.count, waiting[head].pending == 0 {
            storable = waiting[head].offset + 1
            onDone(waiting[head].receivedAt)
            head += 1
        }
        compact()
        return receivedAt
    }

    private mutating func compact() {
        if head == waiting.count {
            base += head
            waiting.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= waiting.count {
            waiting.removeFirst(head)
            base += head
            head = 0
        }
    }
}
