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

        static let patients = (0..<30).map { "K-\($0)" }
        static let start = Date().addingTimeInterval(-4 * 3600)

        /// Per patient: a baseline of low cravings, then a spike (high alert, 24 h cooldown).
        static let before = patients.flatMap { patient in
            (0..<5).map { (patient, Events.craving(2, id: "\(patient)-low-\($0)", patient: patient, at: start.addingTimeInterval(Double($0) * 60))) }
                + [(patient, Events.craving(9, id: "\(patient)-spike", patient: patient, at: start.addingTimeInterval(600)))]
        }

        /// Per patient: spikes inside the cooldown, which alert only if the patient's state was lost.
        static let after = patients.flatMap { patient in
            [(patient, Events.craving(9, id: "\(patient)-again", patient: patient, at: start.addingTimeInterval(3600))),
             (patient, Events.craving(6, id: "\(patient)-medium", patient: patient, at: start.addingTimeInterval(7200)))]
        }

        /// The alert ids one instance alone publishes for the whole input.
        static func singleInstanceIds() async throws -> Set<String> {
            var ids: Set<String> = []
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                try kcat.produce(topic: "patient.cravings", before + after, headers: Events.structured)
                let daemon = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-single"))
                try await daemon.waitForReadiness()
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-single", topics: ["patient.cravings"]))
                ids = Set(try DurableStateTests.alerts(kcat).compactMap { $0["alertId"] as? String })
            }
            return ids
        }

        @Test("two instances split the partitions; after one is killed the survivor restores its state, and the alert ids equal one instance's")
        func twoInstances() async throws {
            let reference = try await Self.singleInstanceIds()
            #expect(reference.count == Self.patients.count, "one instance alone: \(reference.count) alerts")
            try await withBroker { broker, cleanup in
                let config = try DeliveryGuaranteeTests.configFile(committing: true)
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
                try kcat.produce(topic: "patient.cravings", Self.before, headers: Events.structured)
                _ = try await kcat.waitForMessages(topic: "care.alerts", count: Self.patients.count)
                first.process.signal(SIGKILL)
                #expect(await first.process.waitForExit(timeout: 10) != nil)
                try kcat.produce(topic: "patient.cravings", Self.after, headers: Events.structured)
                // The survivor restores the killed instance's patients: their cooldowns hold, so the spikes after the
                // kill alert nothing, and redelivered events give the same ids. The set of ids is one instance's.
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-scale", topics: ["patient.cravings"], timeout: 120))
                let ids = Set(try DurableStateTests.alerts(kcat).compactMap { $0["alertId"] as? String })
                #expect(ids == reference, "two instances with a SIGKILL gave \(ids.count) alert ids, one instance \(reference.count)")
                let took = await Wait.until(timeout: 60) { (try? await Self.partitions(of: second).count) == 9 }
                #expect(took, "the survivor did not take every partition")
            }
        }

        @Test("one instance with two processing threads: each thread owns partitions, a graceful stop and a restart keep every patient's state, and the alert ids equal one thread's")
        func twoProcessingThreads() async throws {
            let reference = try await Self.singleInstanceIds()
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                try kcat.produce(topic: "patient.cravings", Self.before, headers: Events.structured)
                let arguments = ["--processing-threads", "2"]
                let first = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-threads", arguments: arguments))
                try await first.waitForReadiness()
                // Both threads are members of the group with partitions of their own (the last assignment of each).
                let bothAssigned = await Wait.until(timeout: 60) {
                    ["1", "2"].allSatisfy { thread in
                        let assignments = first.process.stderr.split(separator: "\n")
                            .filter { $0.contains("partitions assigned") && $0.contains("vigil.thread=\(thread)") }
                        return assignments.last.map { !$0.contains("kafka.partitions=0") } ?? false
                    }
                }
                #expect(bothAssigned, "not both threads got partitions: \(first.process.stderr.suffix(3000))")
                let listed = await Wait.until(timeout: 60) { (try? await Self.partitions(of: first).count) == 9 }
                #expect(listed, "/status does not list every thread's partitions")
                _ = try await kcat.waitForMessages(topic: "care.alerts", count: Self.patients.count)
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-threads", topics: ["patient.cravings"]))
                first.process.signal(SIGTERM)
                #expect(await first.process.waitForExit(timeout: 30) == 0, "\(first.process.stderr.suffix(3000))")

                // Restarted, each thread restores the state of the partitions it is given: the spikes inside the
                // cooldown alert nothing, so the ids are one instance's.
                try kcat.produce(topic: "patient.cravings", Self.after, headers: Events.structured)
                let second = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-threads", arguments: arguments))
                try await second.waitForReadiness()
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-threads", topics: ["patient.cravings"], timeout: 120))
                let ids = Set(try DurableStateTests.alerts(kcat).compactMap { $0["alertId"] as? String })
                #expect(ids == reference, "two threads gave \(ids.count) alert ids, one \(reference.count)")
                #expect(try await second.metric("vigil_events_consumed_total") == Double(Self.after.count))
            }
        }
    }
}
