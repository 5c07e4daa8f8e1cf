import Testing
import VigilKafka
@testable import VigilDaemon

@Suite("OffsetTracker: an offset is stored only after its output and everything before it")
struct OffsetTrackerTests {
    let p0 = TopicPartition(topic: "patient.cravings", partition: 0)
    let p1 = TopicPartition(topic: "patient.cravings", partition: 1)
    let c0 = TopicPartition(topic: "patient.checkins", partition: 0)

    /// The tracker with a record of every `onDone` call (the message's receipt time, used as its name here).
    struct Harness {
        var tracker = OffsetTracker()
        var done: [UInt64] = []

        /// A message handled with no output.
        mutating func complete(_ partition: TopicPartition, _ offset: Int64) {
            let entry = begin(partition, offset)
            finish(entry)
        }

        /// A message handled with one output; returns the output's token.
        mutating func await(_ partition: TopicPartition, _ offset: Int64) -> UInt64 {
            let entry = begin(partition, offset)
            let token = tracker.newOutput()
            tracker.attach(token, to: entry)
            finish(entry)
            return token
        }

        mutating func begin(_ partition: TopicPartition, _ offset: Int64) -> OffsetTracker.EntryRef {
            tracker.begin(partition, offset: offset, receivedAt: UInt64(offset) + Self.base(partition))
        }

        mutating func finish(_ entry: OffsetTracker.EntryRef) {
            var finished: [UInt64] = []
            tracker.finish(entry) { finished.append($0) }
            done += finished
        }

        mutating func delivered(_ token: UInt64) {
            var finished: [UInt64] = []
            tracker.delivered(token) { finished.append($0) }
            done += finished
        }

        /// Each partition taken at most once per call, so a dictionary loses nothing; the count proves it.
        mutating func take() -> [TopicPartition: Int64] {
            let taken = tracker.takeStorable()
            let result = Dictionary(taken, uniquingKeysWith: { first, _ in first })
            #expect(result.count == taken.count, "a partition appeared twice in one takeStorable")
            return result
        }

        /// Receipt times that tell partitions apart: 1000 × partition number, plus 100 for the checkins topic.
        static func base(_ partition: TopicPartition) -> UInt64 {
            UInt64(partition.partition) * 1000 + (partition.topic == "patient.checkins" ? 100 : 0)
        }
    }

    @Test("a message with no output is storable at once")
    func noOutputIsStorableAtOnce() {
        var harness = Harness()
        harness.complete(p0, 41)
        #expect(harness.done == [41])
        #expect(harness.take() == [p0: 42])
        #expect(harness.tracker.awaitingCount == 0)
    }

    @Test("a message awaiting delivery holds back later done messages on its partition only")
    func awaitingHoldsBackItsPartition() {
        var harness = Harness()
        let token = harness.await(p0, 10)
        harness.complete(p0, 11)
        harness.complete(p0, 12)
        harness.complete(p1, 5)
        harness.complete(c0, 7)
        #expect(harness.done == [1005, 107])
        #expect(harness.take() == [p1: 6, c0: 8])
        #expect(harness.tracker.isAwaiting(token))
        #expect(harness.tracker.awaitingCount == 1)
    }

    @Test("delivery releases the contiguous run behind it, in order")
    func deliveryReleasesTheRun() {
        var harness = Harness()
        let token = harness.await(p0, 10)
        harness.complete(p0, 11)
        harness.complete(p0, 12)
        #expect(harness.take() == [:])
        harness.delivered(token)
        #expect(harness.done == [10, 11, 12])
        #expect(harness.take() == [p0: 13])
        #expect(!harness.tracker.isAwaiting(token))
        #expect(harness.tracker.awaitingCount == 0)
        harness.complete(p0, 13)
        #expect(harness.done == [10, 11, 12, 13])
        #expect(harness.take() == [p0: 14])
    }

    @Test("a delivery behind an earlier undelivered message releases nothing until that one is delivered")
    func outOfOrderDeliveries() {
        var harness = Harness()
        let first = harness.await(p0, 1)
        harness.complete(p0, 2)
        let second = harness.await(p0, 3)
        harness.complete(p0, 4)
        harness.delivered(second)
        #expect(harness.done == [])
        #expect(harness.take() == [:])
        #expect(harness.tracker.isAwaiting(first))
        #expect(!harness.tracker.isAwaiting(second))
        harness.delivered(first)
        #expect(harness.done == [1, 2, 3, 4])
        #expect(harness.take() == [p0: 5])
    }

    @Test("a delivery releases only up to the next message still waiting")
    func releaseStopsAtTheNextWaiting() {
        var harness = Harness()
        let first = harness.await(p0, 1)
        let second = harness.await(p0, 2)
        harness.complete(p0, 3)
        harness.delivered(first)
        #expect(harness.done == [1])
        #expect(harness.take() == [p0: 2])
        harness.delivered(second)
        #expect(harness.done == [1, 2, 3])
        #expect(harness.take() == [p0: 4])
    }

    @Test("takeStorable returns each partition that moved once, with its latest offset, then nothing")
    func takeStorableOncePerMove() {
        var harness = Harness()
        harness.complete(p0, 0)
        harness.complete(p0, 1)
        harness.complete(p1, 7)
        #expect(harness.take() == [p0: 2, p1: 8])
        #expect(harness.take() == [:])
        harness.complete(p1, 8)
        #expect(harness.take() == [p1: 9])
        #expect(harness.take() == [:])
    }

    @Test("forget drops the revoked partitions' waiting tokens and state, and nothing else")
    func forgetRevoked() {
        var harness = Harness()
        let revokedToken = harness.await(p0, 10)
        harness.complete(p0, 11)
        let keptToken = harness.await(p1, 20)
        harness.complete(c0, 3)
        harness.tracker.forget([p0, c0])
        #expect(!harness.tracker.isAwaiting(revokedToken))
        #expect(harness.tracker.isAwaiting(keptToken))
        #expect(harness.tracker.awaitingCount == 1)
        // c0's storable offset was not taken before the revoke: its next owner starts from the committed one.
        #expect(harness.take() == [:])
        // A late delivery report for a forgotten message changes nothing.
        harness.delivered(revokedToken)
        #expect(harness.done == [103])
        #expect(harness.take() == [:])
        // Reassigned later, the partition starts afresh: nothing from before holds it back.
        harness.complete(p0, 50)
        #expect(harness.take() == [p0: 51])
        harness.delivered(keptToken)
        #expect(harness.take() == [p1: 21])
        #expect(harness.done == [103, 50, 1020])
    }

    @Test("onDone is called exactly once per message, a repeated delivery report included")
    func onDoneOncePerMessage() {
        var harness = Harness()
        let a = harness.await(p0, 0)
        harness.complete(p0, 1)
        let b = harness.await(p1, 0)
        harness.complete(p1, 1)
        let c = harness.await(p0, 2)
        harness.delivered(b)
        harness.delivered(b)
        harness.delivered(c)
        harness.delivered(a)
        harness.delivered(a)
        harness.delivered(c)
        #expect(harness.done == [1000, 1001, 0, 1, 2])
        #expect(harness.tracker.awaitingCount == 0)
        #expect(harness.take() == [p0: 3, p1: 2])
    }

    @Test("tokens are distinct across partitions")
    func distinctTokens() {
        var harness = Harness()
        let tokens = [harness.await(p0, 0), harness.await(p1, 0), harness.await(p0, 1), harness.await(c0, 0)]
        #expect(Set(tokens).count == 4)
        #expect(!tokens.contains(0))
        #expect(harness.tracker.awaitingCount == 4)
    }

    @Test("a message being handled holds back later messages even with no output yet")
    func handlingHoldsBack() {
        var harness = Harness()
        let entry = harness.begin(p0, 1)
        harness.complete(p0, 2)
        #expect(harness.take() == [:])
        harness.finish(entry)
        #expect(harness.done == [1, 2])
        #expect(harness.take() == [p0: 3])
    }

    @Test("one output (a state write) can hold back messages on several partitions; a message can wait for several outputs")
    func sharedAndMultipleOutputs() {
        var harness = Harness()
        let checkin = harness.begin(c0, 5)
        let alert = harness.tracker.newOutput()
        harness.tracker.attach(alert, to: checkin)
        let stateWrite = harness.tracker.newOutput()
        harness.tracker.attach(stateWrite, to: checkin)
        harness.finish(checkin)
        let craving = harness.begin(p0, 9)
        harness.tracker.attach(stateWrite, to: craving)
        harness.finish(craving)
        #expect(harness.tracker.awaitingCount == 2)
        harness.delivered(alert)
        #expect(harness.take() == [:])
        harness.delivered(stateWrite)
        #expect(harness.done == [105, 9])
        #expect(harness.take() == [c0: 6, p0: 10])
        #expect(harness.tracker.awaitingCount == 0)
    }

    @Test("an output attached to no message (a timer's alert) is awaited until delivered or abandoned, and holds nothing back")
    func unattachedOutputs() {
        var harness = Harness()
        let timerAlert = harness.tracker.newOutput()
        let abandoned = harness.tracker.newOutput()
        harness.complete(p0, 0)
        #expect(harness.take() == [p0: 1])
        harness.tracker.forget([p0])
        #expect(harness.tracker.isAwaiting(timerAlert))
        harness.tracker.abandon(abandoned)
        #expect(harness.tracker.awaitingCount == 1)
        harness.delivered(timerAlert)
        #expect(harness.tracker.awaitingCount == 0)
    }
}
