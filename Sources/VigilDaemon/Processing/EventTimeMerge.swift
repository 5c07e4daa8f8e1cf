import Foundation
import VigilCore
import VigilKafka

/// Merges the co-partitioned input partitions (partition p of every input topic) in event-time order before the
/// rules see their events, as Kafka Streams does: the same input then yields the same alerts whether it arrives
/// live, comes from a backlog, or is fetched in a different interleaving.
///
/// The next event of partition p is the earliest buffered one (ties: topic order, then offset), released when
/// every other topic's partition p either has an event buffered or is known to be caught up (its end reached, or
/// the high watermark the last fetch reported already read): Kafka Streams' `max.task.idle.ms=0`, where only a
/// partition known to have unfetched data can hold the others back, and never a caught-up one. Such a partition
/// holds them at most `maxIdle`, then they go ahead without it.
struct EventTimeMerge {
    struct Item {
        var event: PatientEvent
        /// The input partition number (the same for every topic of a co-partitioned set).
        var partition: Int32
        var topicIndex: Int
        var offset: Int64
        /// When the message was taken from the consumer (monotonic nanoseconds).
        var receivedAt: UInt64
    }

    private struct Queue {
        var items: [Item] = []
        var head = 0

        var first: Item? { head < items.count ? items[head] : nil }

        mutating func pop() -> Item {
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            return item
        }
    }

    let topics: [String]
    let maxIdle: TimeInterval
    /// Per partition number, one queue per input topic (in `topics` order).
    private var queues: [Int32: [Queue]] = [:]
    /// Partitions whose end was reached with nothing fetched since: an empty queue there holds nothing back.
    private var atEnd: Set<TopicPartition> = []
    private var blockedSince: [Int32: Date] = [:]
    private(set) var bufferedCount = 0

    init(topics: [String], maxIdle: TimeInterval) {
        self.topics = topics
        self.maxIdle = maxIdle
    }

    /// Whether events of partition number `partition` wait in the merge.
    func hasBuffered(_ partition: Int32) -> Bool {
        queues[partition]?.contains { $0.first != nil } ?? false
    }

    /// The offset of the earliest event of `partition` still buffered: no offset past it may be committed.
    func firstBufferedOffset(_ partition: TopicPartition) -> Int64? {
        guard let queue = queues[partition.partition]?[topicIndex(of: partition.topic)] else { return nil }
        return queue.first?.offset
    }

    func topicIndex(of topic: String) -> Int {
        topics.firstIndex(of: topic) ?? 0
    }

    mutating func add(_ item: Item) {
        atEnd.remove(TopicPartition(topic: topics[item.topicIndex], partition: item.partition))
        queues[item.partition, default: Array(repeating: Queue(), count: topics.count)][item.topicIndex].items.append(item)
        bufferedCount += 1
    }

    /// A message that did not become an event (dead-lettered) still shows that its partition is not at its end.
    mutating func fetched(_ partition: TopicPartition) {
        atEnd.remove(partition)
    }

    /// Nothing more to fetch on `partition` for now (its end reached, or its high watermark read): an empty queue
    /// there holds nothing back until its next message.
    mutating func reachedEnd(_ partition: TopicPartition) {
        atEnd.insert(partition)
    }

    /// Hands over, in merged order, every event that may go now.
    mutating func release(now: Date, _ body: (Item) -> Void) {
        release(now: now, force: false, body)
    }

    /// Hands over everything buffered, in merged order, waiting for nothing (a graceful stop).
    mutating func releaseAll(_ body: (Item) -> Void) {
        release(now: .distantFuture, force: true, body)
    }

    private mutating func release(now: Date, force: Bool, _ body: (Item) -> Void) {
        guard bufferedCount > 0 else { return }
        for partition in queues.keys.sorted() {
            while let index = nextIndex(partition, now: now, force: force) {
                bufferedCount -= 1
                body(queues[partition]![index].pop())
            }
        }
    }

    /// Forgets the buffered events of revoked partitions: their next owner gets them again.
    mutating func drop(_ revoked: [TopicPartition]) {
        for partition in Set(revoked.map(\.partition)) {
            bufferedCount -= queues.removeValue(forKey: partition)?.reduce(0) { $0 + $1.items.count - $1.head } ?? 0
            blockedSince[partition] = nil
        }
        atEnd.subtract(revoked)
    }

    private mutating func nextIndex(_ partition: Int32, now: Date, force: Bool) -> Int? {
        guard let topicQueues = queues[partition] else { return nil }
        var best: Int?
        var waitingOnUnfetched = false
        for (index, queue) in topicQueues.enumerated() {
            guard let item = queue.first else {
                if !atEnd.contains(TopicPartition(topic: topics[index], partition: partition)) { waitingOnUnfetched = true }
                continue
            }
            if let current = best.flatMap({ topicQueues[$0].first }), (current.event.time, current.topicIndex, current.offset) <= (item.event.time, item.topicIndex, item.offset) {
                continue
            }
            best = index
        }
        guard let best else {
            blockedSince[partition] = nil
            return nil
        }
        guard waitingOnUnfetched, !force else {
            blockedSince[partition] = nil
            return best
        }
        let since = blockedSince[partition] ?? now
        blockedSince[partition] = since
        return now.timeIntervalSince(since) >= maxIdle ? best : nil
    }
}
