import Foundation
import PropertyBased
import Testing
import VigilCore
import VigilKafka
@testable import VigilDaemon

/// The merge's promise: however the consumer's fetches of the co-partitioned input partitions interleave, and
/// whenever the loop asks for what may go, each partition's events come out in the same order, so the rules
/// raise the same alerts.
@Suite("Properties: event-time merge interleavings")
struct MergeInterleavingProperties {
    static let topics = ["patient.checkins", "patient.cravings", "care.alert-acks"]
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    /// Per (topic, partition), its messages in offset order: event times wander, so a partition is not in
    /// event-time order by itself. Cravings and check-ins of two patients per partition, which trigger rules.
    static func logs(_ seed: UInt64) -> [[[EventTimeMerge.Item]]] {
        var random = SplitMix64(seed: seed)
        return (0..<2).map { partition in
            (0..<topics.count).map { topic in
                var minute = Double(random.next() % 60)
                return (0..<Int(random.next() % 12)).map { offset in
                    minute += Double(Int(random.next() % 40) - 10)
                    let patient = "P-\(partition)-\(random.next() % 2)"
                    let payload: PatientEvent.Payload = switch topic {
                    case 0: .checkin(Checkin(stress: Int(random.next() % 11), substanceUse: random.next() % 5 == 0 ? .init(used: true, substances: ["alcohol"]) : nil, cueExposure: random.next() % 3 == 0))
                    case 1: .craving(Craving(score: Double(random.next() % 11)))
                    default: .appointment(Appointment(status: random.next() % 2 == 0 ? .missed : .attended))
                    }
                    let event = PatientEvent(id: "\(topic)-\(partition)-\(offset)", source: "app://test", time: base.addingTimeInterval(minute * 60), patientId: patient, payload: payload)
                    return EventTimeMerge.Item(event: event, partition: Int32(partition), topicIndex: topic, offset: Int64(offset), receivedAt: 0)
                }
            }
        }
    }

    /// Feeds the logs to a merge as `schedule` says (each step fetches 1–3 messages of one partition, or asks
    /// for what may go; a partition is marked caught up once it is wholly fetched, as the consumer's end-of-partition
    /// event does), then lets the rest go. Returns each partition's released event ids.
    static func released(_ logs: [[[EventTimeMerge.Item]]], schedule: [UInt64]) -> [Int32: [PatientEvent]] {
        var merge = EventTimeMerge(topics: topics, maxIdle: 3600)
        var fetched = logs.map { $0.map { _ in 0 } }
        var out: [Int32: [PatientEvent]] = [:]
        let now = base
        func take(_ item: EventTimeMerge.Item) { out[item.partition, default: []].append(item.event) }
        func markEnd(_ partition: Int, _ topic: Int) {
            if fetched[partition][topic] == logs[partition][topic].count {
                merge.reachedEnd(TopicPartition(topic: topics[topic], partition: Int32(partition)))
            }
        }
        for step in schedule {
            let partition = Int(step % 2), topic = Int(step / 2 % 3), count = Int(step / 6 % 3) + 1
            if step / 18 % 4 == 0 {
                merge.release(now: now, take)
                continue
            }
            let log = logs[partition][topic]
            for item in log[fetched[partition][topic]..<min(log.count, fetched[partition][topic] + count)] { merge.add(item) }
            fetched[partition][topic] = min(log.count, fetched[partition][topic] + count)
            markEnd(partition, topic)
        }
        for partition in logs.indices {
            for topic in topics.indices {
                for item in logs[partition][topic][fetched[partition][topic]...] { merge.add(item) }
                fetched[partition][topic] = logs[partition][topic].count
                markEnd(partition, topic)
            }
        }
        merge.release(now: now, take)
        #expect(merge.bufferedCount == 0)
        return out
    }

    static func alerts(_ events: [Int32: [PatientEvent]]) throws -> [String] {
        let engine = try Modules.registry.ruleSet(for: VigilConfiguration.Rules()).engine
        var states: [String: PatientState] = [:]
        var alerts: [String] = []
        for partition in events.keys.sorted() {
            for event in events[partition]! {
                let result = engine.process(event, state: &states[event.patientId, default: PatientState()], detectedAt: event.time)
                alerts += ([result.alert].compactMap { $0 } + result.timerAlerts).map { "\($0.alertId) \($0.rule) \($0.severity) \($0.status)" }
            }
        }
        return alerts
    }

    @Test("any interleaving of fetches and releases gives each partition the same order, and the same alerts")
    func interleavings() async throws {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.uint64().array(of: 0...60)) { seed, schedule in
            let logs = Self.logs(seed)
            let reference = Self.released(logs, schedule: [])
            let interleaved = Self.released(logs, schedule: schedule)
            #expect(interleaved.mapValues { $0.map(\.id) } == reference.mapValues { $0.map(\.id) })
            do {
                #expect(try Self.alerts(interleaved) == Self.alerts(reference))
            } catch {
                Issue.record(error)
            }
        }
    }
}
