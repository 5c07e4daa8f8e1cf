import Foundation
import Testing
import VigilCore
import VigilKafka
@testable import VigilDaemon

@Suite("Event-time merge of co-partitioned input partitions")
struct EventTimeMergeTests {
    static let topics = ["patient.checkins", "patient.cravings", "care.alert-acks"]
    let base = Date(timeIntervalSince1970: 1_800_000_000)

    func item(_ topic: String, offset: Int64, minute: Double, partition: Int32 = 0) -> EventTimeMerge.Item {
        let event = PatientEvent(id: "\(topic)-\(offset)", source: "test", time: base.addingTimeInterval(minute * 60), patientId: "P", payload: .craving(Craving(score: 1)))
        let index = Self.topics.firstIndex(of: topic)!
        return .init(event: event, partition: partition, topicIndex: index, offset: offset, receivedAt: 0)
    }

    func atEnd(_ merge: inout EventTimeMerge, _ topics: [String], partition: Int32 = 0) {
        for topic in topics { merge.reachedEnd(TopicPartition(topic: topic, partition: partition)) }
    }

    func released(_ merge: inout EventTimeMerge, at now: Date) -> [String] {
        var ids: [String] = []
        merge.release(now: now) { ids.append($0.event.id) }
        return ids
    }

    @Test("events of all topics come out in event-time order, whatever order they were fetched in")
    func eventTimeOrder() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 0.5)
        merge.add(item("patient.cravings", offset: 0, minute: 10))
        merge.add(item("patient.cravings", offset: 1, minute: 30))
        merge.add(item("patient.checkins", offset: 0, minute: 20))
        merge.add(item("patient.checkins", offset: 1, minute: 5))
        atEnd(&merge, Self.topics)
        // Within a partition offsets stay in order (minute 20 before minute 5 on checkins): the merge never reorders one partition.
        #expect(released(&merge, at: base) == ["patient.cravings-0", "patient.checkins-0", "patient.checkins-1", "patient.cravings-1"])
        #expect(merge.bufferedCount == 0)
    }

    @Test("ties go to the earlier topic in the configured order")
    func ties() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 0.5)
        merge.add(item("patient.cravings", offset: 0, minute: 10))
        merge.add(item("patient.checkins", offset: 0, minute: 10))
        atEnd(&merge, Self.topics)
        #expect(released(&merge, at: base) == ["patient.checkins-0", "patient.cravings-0"])
    }

    @Test("a partition with unfetched data holds the others back for at most maxIdle")
    func boundedWait() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 0.5)
        atEnd(&merge, ["care.alert-acks"])
        merge.add(item("patient.cravings", offset: 0, minute: 10))
        #expect(released(&merge, at: base).isEmpty)
        #expect(released(&merge, at: base.addingTimeInterval(0.4)).isEmpty)
        #expect(released(&merge, at: base.addingTimeInterval(0.5)) == ["patient.cravings-0"])
    }

    @Test("the awaited partition's event, once fetched, goes first if it is earlier")
    func awaitedEventGoesFirst() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 0.5)
        atEnd(&merge, ["care.alert-acks"])
        merge.add(item("patient.cravings", offset: 0, minute: 10))
        #expect(released(&merge, at: base).isEmpty)
        merge.add(item("patient.checkins", offset: 0, minute: 5))
        atEnd(&merge, ["patient.checkins"])
        #expect(released(&merge, at: base.addingTimeInterval(0.1)) == ["patient.checkins-0", "patient.cravings-0"])
    }

    @Test("partitions at their end hold nothing back; a fetched message takes a partition off its end")
    func atEndDoesNotWait() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 60)
        atEnd(&merge, Self.topics)
        merge.add(item("patient.cravings", offset: 0, minute: 10))
        #expect(released(&merge, at: base) == ["patient.cravings-0"])
        merge.fetched(TopicPartition(topic: "patient.checkins", partition: 0))
        merge.add(item("patient.cravings", offset: 1, minute: 11))
        #expect(released(&merge, at: base).isEmpty)
    }

    @Test("partitions are merged independently")
    func independentPartitions() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 60)
        atEnd(&merge, Self.topics, partition: 1)
        merge.add(item("patient.cravings", offset: 0, minute: 10, partition: 0))
        merge.add(item("patient.cravings", offset: 0, minute: 20, partition: 1))
        #expect(released(&merge, at: base) == ["patient.cravings-0"])
        #expect(merge.bufferedCount == 1)
    }

    @Test("releaseAll waits for nothing; drop forgets revoked partitions")
    func releaseAllAndDrop() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 60)
        merge.add(item("patient.cravings", offset: 0, minute: 10, partition: 0))
        merge.add(item("patient.cravings", offset: 0, minute: 10, partition: 1))
        merge.drop([TopicPartition(topic: "patient.cravings", partition: 1)])
        #expect(merge.bufferedCount == 1)
        var ids: [String] = []
        merge.releaseAll { ids.append("\($0.partition)") }
        #expect(ids == ["0"])
        #expect(merge.bufferedCount == 0)
    }

    @Test("the first buffered offset of a partition holds its commit back")
    func firstBufferedOffset() {
        var merge = EventTimeMerge(topics: Self.topics, maxIdle: 60)
        let cravings = TopicPartition(topic: "patient.cravings", partition: 0)
        #expect(merge.firstBufferedOffset(cravings) == nil)
        merge.add(item("patient.cravings", offset: 4, minute: 10))
        merge.add(item("patient.cravings", offset: 5, minute: 11))
        #expect(merge.firstBufferedOffset(cravings) == 4)
        #expect(merge.firstBufferedOffset(TopicPartition(topic: "patient.checkins", partition: 0)) == nil)
        atEnd(&merge, Self.topics)
        #expect(released(&merge, at: base).count == 2)
        #expect(merge.firstBufferedOffset(cravings) == nil)
    }
}
