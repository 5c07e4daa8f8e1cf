import Foundation
import Testing
@testable import VigilDaemon

@Suite("Outbound queue: outputs kept until acknowledged")
struct OutboundQueueTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let record = OutboundRecord(topic: "care.alerts", key: Array("P-1".utf8), value: Array("{}".utf8), headers: [])

    @Test("an acknowledged record is forgotten with its bytes; a failed one is produced again after its back-off")
    func lifecycle() {
        var queue = OutboundQueue()
        let first = queue.add(record, checkpoint: 3, receivedAt: 42)
        let second = queue.add(record, checkpoint: 4)
        #expect(queue.count == 2)
        #expect(queue.bytes == 2 * record.byteCount)
        queue.failed(second, now: start, backoff: 1)
        #expect(queue.failing == [second])
        #expect(queue.takeDueRetries(now: start.addingTimeInterval(0.5)).isEmpty)
        #expect(queue.takeDueRetries(now: start.addingTimeInterval(1)).map(\.token) == [second])
        #expect(queue.takeDueRetries(now: start.addingTimeInterval(2)).isEmpty)
        let acknowledged = queue.acknowledged(first)
        #expect(acknowledged?.checkpoint == 3)
        #expect(acknowledged?.receivedAt == 42)
        #expect(queue.acknowledged(first) == nil, "acknowledged twice")
        _ = queue.acknowledged(second)
        #expect(queue.failing.isEmpty)
        #expect(queue.isEmpty && queue.bytes == 0)
    }

    @Test("once empty after a large checkpoint, the queue gives its table back when asked; a small one keeps it")
    func largeTableReleasedWhenEmpty() {
        var queue = OutboundQueue()
        queue.reserveCapacity(forAdditional: 5_000)
        #expect(queue.capacity >= 5_000)
        let tokens = (0..<5_000).map { _ in queue.add(record, checkpoint: 1) }
        for token in tokens.dropLast() { _ = queue.acknowledged(token) }
        queue.releaseSpareCapacity()
        #expect(queue.capacity >= 5_000, "kept while records still wait")
        _ = queue.acknowledged(tokens.last!)
        #expect(queue.capacity >= 5_000, "kept until the loop is idle")
        queue.releaseSpareCapacity()
        #expect(queue.isEmpty && queue.capacity <= OutboundQueue.capacityKeptWhenEmpty)

        let few = (0..<10).map { _ in queue.add(record, checkpoint: 2) }
        let capacity = queue.capacity
        for token in few { _ = queue.acknowledged(token) }
        queue.releaseSpareCapacity()
        #expect(queue.capacity == capacity)
    }
}
