import VigilKafka

/// Decides which input offsets may be stored for commit: a message's offset only once the output it caused (an
/// alert or a dead-letter copy) is acknowledged by the broker, and never past an earlier message still waiting.
///
/// Each message causes at most one output (one event, one alert), so an entry is either done or waits for exactly
/// one delivery. Owned by the processing thread.
struct OffsetTracker {
    private struct Entry {
        var token: UInt64
        var offset: Int64
        var receivedAt: UInt64
        var delivered: Bool
    }

    private struct Progress {
        /// Messages not yet storable, in offset order; the first one still waits for its delivery.
        var waiting: [Entry] = []
        var head = 0
        /// The next offset to store (one past the last contiguous done message), if it moved since the last take.
        var storable: Int64?
    }

    private var partitions: [TopicPartition: Progress] = [:]
    private var tokenPartitions: [UInt64: TopicPartition] = [:]
    private var nextToken: UInt64 = 1

    /// Messages whose output is not yet acknowledged.
    var awaitingCount: Int { tokenPartitions.count }

    /// A message that caused no output: done now (or once the messages before it are).
    mutating func complete(_ partition: TopicPartition, offset: Int64, receivedAt: UInt64, onDone: (UInt64) -> Void) {
        var progress = partitions[partition, default: Progress()]
        if progress.head == progress.waiting.count {
            progress.storable = offset + 1
            onDone(receivedAt)
        } else {
            progress.waiting.append(Entry(token: 0, offset: offset, receivedAt: receivedAt, delivered: true))
        }
        partitions[partition] = progress
    }

    /// A message whose output was handed to the producer; returns the token to produce it with.
    mutating func await(_ partition: TopicPartition, offset: Int64, receivedAt: UInt64) -> UInt64 {
        let token = nextToken
        nextToken += 1
        partitions[partition, default: Progress()].waiting.append(Entry(token: token, offset: offset, receivedAt: receivedAt, delivered: false))
        tokenPartitions[token] = partition
        return token
    }

    /// The broker acknowledged the output of `token`'s message.
    mutating func delivered(_ token: UInt64, onDone: (UInt64) -> Void) {
        guard let partition = tokenPartitions.removeValue(forKey: token), var progress = partitions[partition] else { return }
        if let index = progress.waiting[progress.head...].firstIndex(where: { $0.token == token }) {
            progress.waiting[index].delivered = true
        }
        while progress.head < progress.waiting.count, progress.waiting[progress.head].delivered {
            progress.storable = progress.waiting[progress.head].offset + 1
            onDone(progress.waiting[progress.head].receivedAt)
            progress.head += 1
        }
        if progress.head == progress.waiting.count {
            progress.waiting.removeAll(keepingCapacity: true)
            progress.head = 0
        }
        partitions[partition] = progress
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
        tokenPartitions = tokenPartitions.filter { !revoked.contains($0.value) }
    }

    /// Whether `token` still waits (a revoke may have forgotten it).
    func isAwaiting(_ token: UInt64) -> Bool { tokenPartitions[token] != nil }
}
