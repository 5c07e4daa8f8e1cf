internal import CRdKafka

/// The array `rd_kafka_consume_batch_queue` fills, allocated once and grown on demand so a poll allocates nothing.
/// Used only on the poll thread.
final class MessageBatch {
    private(set) var slots: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        slots = .allocate(capacity: self.capacity)
    }

    deinit {
        slots.deallocate()
    }

    func reserve(_ count: Int) {
        guard count > capacity else { return }
        slots.deallocate()
        capacity = count
        slots = .allocate(capacity: count)
    }

    /// Fills slots `start...` with up to `count` messages (and serves callbacks met on the way); returns how many.
    func consume(from queue: OpaquePointer, start: Int, count: Int, timeoutMilliseconds: Int32) -> Int {
        precondition(start + count <= capacity)
        return max(0, rd_kafka_consume_batch_queue(queue, timeoutMilliseconds, slots + start, count))
    }
}
