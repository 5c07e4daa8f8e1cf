import VigilKafka

/// Decides which input offsets may be stored for commit: a message's offset only once the output it caused (an
/// alert or a dead-letter copy) is acknowledged by the broker, and never past an earlier message still waiting.
///
/// Each message causes at most one output (one event, one alert), so an entry is either done or waits for exactly
/// one delivery. Owned by the processing thread. Entries are mutated in place (no copy-on-write of the queues),
/// and the done prefix of a queue is dropped in chunks, so each message costs O(1) however long the backlog.
struct OffsetTracker {
    fileprivate struct Entry {
        var token: UInt64
        var offset: Int64
        var receivedAt: UInt64
        var delivered: Bool
    }

    fileprivate struct Progress {
        /// Messages not yet storable, in offset order, from `head` on; the one at `head` waits for its delivery.
        var waiting: [Entry] = []
        var head = 0
        /// The next offset to store (one past the last contiguous done message), if it moved since the last take.
        var storable: Int64?

        var isDrained: Bool { head == waiting.count }

        mutating func compact() {
            if isDrained {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024, head * 2 >= waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
        }
    }

    private var partitions: [TopicPartition: Progress] = [:]
    private var tokenPartitions: [UInt64: TopicPartition] = [:]
    private var nextToken: UInt64 = 1

    /// Messages whose output is not yet acknowledged.
    var awaitingCount: Int { tokenPartitions.count }

    /// A message that caused no output: done now (or once the messages before it are).
    mutating func complete(_ partition: TopicPartition, offset: Int64, receivedAt: UInt64, onDone: (UInt64) -> Void) {
        partitions[partition, default: Progress()].completeOrQueue(offset: offset, receivedAt: receivedAt, onDone: onDone)
    }

    /// A message whose output was handed to the producer; returns the token to produce it with.
    mutating func await(_ partition: TopicPartition, offset: Int64, receivedAt: UInt64) -> UInt64 {
        let token = nextToken
        nextToken += 1
        partitions[partition, default: Progress()].waiting.append(Entry(token: token, offset: offset, receivedAt: receivedAt, delivered: false))
        tokenPartitions[token] = partition
        return token
    }

    /// The broker acknowledged the output of `token`'s message; returns that message's receipt time, or nil for a
    /// token no longer tracked (its partition was revoked).
    @discardableResult
    mutating func delivered(_ token: UInt64, onDone: (UInt64) -> Void) -> UInt64? {
        guard let partition = tokenPartitions.removeValue(forKey: token) else { return nil }
        return partitions[partition]?.deliver(token, onDone: onDone)
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

    /// Forgets revoked partitions: whatever was not stored is redelivered to their next owner.
    mutating func forget(_ revoked: [TopicPartition]) {
        for partition in revoked { partitions[partition] = nil }
        let revokedSet = Set(revoked)
        tokenPartitions = tokenPartitions.filter { !revokedSet.contains($0.value) }
    }

    /// Whether `token` still waits (a revoke may have forgotten it).
    func isAwaiting(_ token: UInt64) -> Bool { tokenPartitions[token] != nil }
}

extension OffsetTracker.Progress {
    fileprivate mutating func completeOrQueue(offset: Int64, receivedAt: UInt64, onDone: (UInt64) -> Void) {
        if isDrained {
            storable = offset + 1
            onDone(receivedAt)
        } else {
            waiting.append(.init(token: 0, offset: offset, receivedAt: receivedAt, delivered: true))
        }
    }

    fileprivate mutating func deliver(_ token: UInt64, onDone: (UInt64) -> Void) -> UInt64? {
        guard let index = waiting[head...].firstIndex(where: { $0.token == token }) else { return nil }
        waiting[index].delivered = true
        let receivedAt = waiting[index].receivedAt
        while head < waiting.count, waiting[head].delivered {
            storable = waiting[head].offset + 1
            onDone(waiting[head].receivedAt)
            head += 1
        }
        compact()
        return receivedAt
    }
}
