import Foundation
import VigilCore
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

    @Test("acknowledgements in any order find their records; one held back keeps every later record findable")
    func acknowledgedOutOfOrder() {
        var queue = OutboundQueue()
        let tokens = (0..<5_000).map { queue.add(record, checkpoint: UInt64($0)) }
        #expect(Set(tokens).count == tokens.count)
        // Every token but the first, newest first, then oldest first: the held-back first token keeps them all.
        for token in tokens[2_500...].reversed() { #expect(queue.acknowledged(token)?.checkpoint == token - tokens[0]) }
        for token in tokens[1..<2_500] { #expect(queue.acknowledged(token)?.checkpoint == token - tokens[0]) }
        #expect(queue.count == 1 && queue.bytes == record.byteCount)
        #expect(queue.record(tokens[0]) != nil && queue.checkpoint(of: tokens[0]) == 0)
        #expect(queue.record(tokens[1]) == nil && queue.acknowledged(tokens[4_999]) == nil, "acknowledged already")
        #expect(queue.acknowledged(tokens[0])?.checkpoint == 0)
        #expect(queue.isEmpty && queue.bytes == 0)

        // A record held back while the records after it are acknowledged stays findable, as do later ones.
        let later = (0..<3_000).map { _ in queue.add(record, checkpoint: 9) }
        for token in later.dropFirst() { _ = queue.acknowledged(token) }
        let next = queue.add(record, checkpoint: 10)
        #expect(queue.count == 2 && queue.record(later[0]) != nil && queue.checkpoint(of: next) == 10)
        #expect(queue.acknowledged(later[0]) != nil && queue.acknowledged(next) != nil && queue.isEmpty)
    }

    @Test("a record that is never acknowledged does not keep every later slot: the table stays about the size of what waits")
    func stuckRecordKeepsTheTableBounded() {
        var queue = OutboundQueue()
        let stuck = queue.add(record, checkpoint: 1)
        queue.failed(stuck, now: start, backoff: 1)
        var inFlight: [UInt64] = []
        var largestTable = 0
        for round in 0..<100_000 {
            inFlight.append(queue.add(record, checkpoint: UInt64(round)))
            // About 50 records in flight besides the stuck one, acknowledged a little out of order.
            if inFlight.count > 50 { _ = queue.acknowledged(inFlight.remove(at: round % 7)) }
            largestTable = max(largestTable, queue.tableSize)
        }
        #expect(largestTable <= 2 * OutboundQueue.acknowledgedSlotsKept, "the table kept acknowledged slots behind the stuck record")
        #expect(queue.count == 51 && queue.bytes == 51 * record.byteCount)
        #expect(queue.record(stuck) != nil && queue.checkpoint(of: stuck) == 1 && queue.failing == [stuck])
        #expect(queue.takeDueRetries(now: start.addingTimeInterval(2)).map(\.token) == [stuck])
        for token in inFlight { #expect(queue.acknowledged(token) != nil) }
        #expect(queue.acknowledged(stuck)?.checkpoint == 1)
        #expect(queue.isEmpty && queue.bytes == 0 && queue.failing.isEmpty)
        #expect(queue.heldBackCapacity > 0, "records were moved aside")
        queue.releaseSpareCapacity()
        #expect(queue.heldBackCapacity == 0 && queue.capacity <= OutboundQueue.capacityKeptWhenEmpty)
    }

    @Test("acknowledgements in order, then most of the rest: the table keeps at most about twice what waits")
    func acknowledgedSlotsAreDropped() {
        var queue = OutboundQueue()
        let tokens = (0..<3_200).map { queue.add(record, checkpoint: UInt64($0)) }
        for token in tokens[..<1_600] { _ = queue.acknowledged(token) }
        // Three of every four of the rest, keeping the first of each four: a held-up record ahead of most of them.
        for (offset, token) in tokens[1_600...].enumerated() where offset % 4 != 0 { _ = queue.acknowledged(token) }
        #expect(queue.count == 400 && queue.invariantsHold)
        #expect(queue.tableSize <= 2 * queue.count + OutboundQueue.acknowledgedSlotsKept)
        for (offset, token) in tokens[1_600...].enumerated() {
            #expect((queue.record(token) != nil) == (offset % 4 == 0))
            #expect((queue.checkpoint(of: token) != nil) == (offset % 4 == 0))
        }
        for (offset, token) in tokens[1_600...].enumerated() where offset % 4 == 0 {
            #expect(queue.acknowledged(token)?.checkpoint == UInt64(1_600 + offset))
        }
        #expect(queue.isEmpty && queue.bytes == 0 && queue.invariantsHold)
    }

    @Test("random adds, acknowledgements (also of unknown tokens), failures, retries and removeAll agree with a dictionary")
    func agreesWithDictionary() {
        var queue = OutboundQueue()
        var reference: [UInt64: UInt64] = [:]  // token → checkpoint
        var generator = SplitMix64(seed: 7)
        var now = start
        for step in 0..<60_000 {
            switch generator.next() % 100 {
            case 0..<45:
                let token = queue.add(record, checkpoint: UInt64(step))
                reference[token] = UInt64(step)
            case 45..<88:
                // Mostly a waiting token, now and then one acknowledged already or never handed out.
                let token = reference.keys.randomElement(using: &generator) ?? 0
                let asked = generator.next() % 10 == 0 ? token &+ UInt64(generator.next() % 5_000) : token
                #expect(queue.acknowledged(asked)?.checkpoint == reference.removeValue(forKey: asked))
            case 88..<93:
                if let token = reference.keys.randomElement(using: &generator) { queue.failed(token, now: now, backoff: 1) }
            case 93..<99:
                now = now.addingTimeInterval(0.5)
                for (token, _) in queue.takeDueRetries(now: now) { #expect(reference[token] != nil) }
            default:
                if generator.next() % 20 == 0 {
                    queue.removeAll()
                    reference.removeAll()
                }
            }
            #expect(queue.count == reference.count)
            if step % 97 == 0 {
                #expect(queue.invariantsHold, "step \(step)")
                for (token, checkpoint) in reference { #expect(queue.checkpoint(of: token) == checkpoint) }
            }
        }
    }

    @Test("after removeAll, late delivery reports for the forgotten tokens find nothing; new tokens are never reused")
    func removeAllForgetsTokens() {
        var queue = OutboundQueue()
        let old = (0..<10).map { _ in queue.add(record, checkpoint: 1) }
        queue.failed(old[3], now: start, backoff: 1)
        queue.removeAll()
        #expect(queue.isEmpty && queue.bytes == 0 && queue.failing.isEmpty)
        let new = queue.add(record, checkpoint: 2)
        #expect(!old.contains(new))
        for token in old {
            #expect(queue.record(token) == nil)
            #expect(queue.acknowledged(token) == nil)
        }
        #expect(queue.takeDueRetries(now: start.addingTimeInterval(5)).isEmpty)
        #expect(queue.acknowledged(new)?.checkpoint == 2)
    }

    @Test("removeAll forgets records moved aside too; a record moved aside after others were dropped keeps its token")
    func removeAllForgetsRecordsMovedAside() {
        var queue = OutboundQueue()
        let acknowledgedFirst = (0..<1_500).map { _ in queue.add(record, checkpoint: 1) }
        let stuck = queue.add(record, checkpoint: 2)
        let later = (0..<3_000).map { _ in queue.add(record, checkpoint: 3) }
        for token in acknowledgedFirst + later.dropLast() { _ = queue.acknowledged(token) }
        #expect(queue.heldBackCapacity > 0 && queue.invariantsHold, "moved aside")
        #expect(queue.checkpoint(of: stuck) == 2 && queue.checkpoint(of: later.last!) == 3)
        queue.removeAll()
        #expect(queue.isEmpty && queue.bytes == 0 && queue.invariantsHold)
        #expect(queue.record(stuck) == nil && queue.acknowledged(stuck) == nil && queue.acknowledged(later.last!) == nil)
        #expect(queue.count == 0)
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

