import Foundation
import Testing

extension IntegrationTests {
    @Suite("Scale-out: instances in one consumer group share the partitions")
    struct ScaleOutTests {
        static func partitions(of daemon: Daemon) async throws -> Set<String> {
            let body = try await daemon.get("/status").body
            let status = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])
            let partitions = status["partitions"] as? [[String: Any]] ?? []
            return Set(partitions.map { "\($0["topic"] ?? "")/\($0["partition"] ?? "")" })
        }

        @Test("two instances split the partitions co-partitioned; after one is killed the other takes them all and no alert is lost")
        func twoInstances() async throws {
            try await withBroker { broker, cleanup in
                let config = try DeliveryGuaranteeTests.configFile(autoCommit: true)
                let first = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-scale", arguments: ["--config", config]))
                try await first.waitForReadiness()
                let second = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-scale", arguments: ["--config", config]))
                var split: (Set<String>, Set<String>) = ([], [])
                let shared = await Wait.until(timeout: 90) {
                    guard let a = try? await Self.partitions(of: first), let b = try? await Self.partitions(of: second) else { return false }
                    split = (a, b)
                    return !a.isEmpty && !b.isEmpty && a.union(b).count == 9
                }
                #expect(shared, "the partitions were not shared: \(split)")
                #expect(split.0.isDisjoint(with: split.1))
                // Range assignment: partition p of every input topic goes to the same instance.
                for owned in [split.0, split.1] {
                    let numbers = Dictionary(grouping: owned) { $0.split(separator: "/").last.map(String.init) ?? "" }
                    #expect(numbers.values.allSatisfy { $0.count == 3 }, "not co-partitioned: \(owned)")
                }

                let kcat = Kcat(bootstrap: broker.bootstrap)
                let date = Date().addingTimeInterval(-600)
                try kcat.produce(topic: "patient.cravings", DeliveryGuaranteeTests.spikes(0..<30, at: date), headers: Events.structured)
                _ = try await kcat.waitForMessages(topic: "care.alerts", count: 30)
                first.process.signal(SIGKILL)
                #expect(await first.process.waitForExit(timeout: 10) != nil)
                try kcat.produce(topic: "patient.cravings", DeliveryGuaranteeTests.spikes(30..<60, at: date), headers: Events.structured)
                // A rebalance may redeliver what was not committed yet, so count patients, not messages.
                let expected = Set((0..<60).map { "K-\($0)" })
                var alerted: Set<String> = []
                _ = try await Wait.until(timeout: 120) {
                    alerted = Set(try kcat.consume(topic: "care.alerts").compactMap(\.key))
                    return alerted == expected
                }
                #expect(alerted == expected, "an alert was lost: \(expected.subtracting(alerted).sorted())")
                let took = await Wait.until(timeout: 60) { (try? await Self.partitions(of: second).count) == 9 }
                #expect(took, "the survivor did not take every partition")
            }
        }
    }
}
