import Foundation
import Testing

extension IntegrationTests {
    @Suite("Nothing lost across SIGKILL and SIGTERM")
    struct DeliveryGuaranteeTests {
        /// Short session timeouts, so that a killed member leaves the group quickly; no auto-commit in the first
        /// run, so that everything it processed is redelivered after the kill.
        static func configFile(autoCommit: Bool) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).yaml").path
            try """
                kafka:
                  properties:
                    session.timeout.ms: "6000"
                    heartbeat.interval.ms: "1000"
                    auto.commit.interval.ms: "\(autoCommit ? 1000 : 3_600_000)"
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        static func spikes(_ range: Range<Int>, at date: Date) -> [(key: String, value: String)] {
            range.map { index in ("K-\(index)", Events.craving(9, id: "kill-\(index)", patient: "K-\(index)", at: date)) }
        }

        @Test("SIGKILL mid-stream, then a restart: every alert arrives and a redelivered alert keeps its id")
        func sigkill() async throws {
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let date = Date().addingTimeInterval(-600)
                let first = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-kill", arguments: ["--config", try Self.configFile(autoCommit: false)]))
                try await first.waitForReadiness()
                try kcat.produce(topic: "patient.cravings", Self.spikes(0..<20, at: date), headers: Events.structured)
                _ = try await kcat.waitForMessages(topic: "care.alerts", count: 20)
                first.process.signal(SIGKILL)
                #expect(await first.process.waitForExit(timeout: 10) != nil)
                try kcat.produce(topic: "patient.cravings", Self.spikes(20..<40, at: date), headers: Events.structured)

                let second = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-kill", arguments: ["--config", try Self.configFile(autoCommit: true)]))
                try await second.waitForReadiness()
                // Every alert of the first run comes again (nothing was committed), with the same id; a rebalance
                // during the second run may redeliver more, so count at least, and require one id per patient.
                var idsByPatient: [String: [String]] = [:]
                let complete = try await Wait.until(timeout: 90) {
                    let data = try kcat.consume(topic: "care.alerts").compactMap { $0.json?["data"] as? [String: Any] }
                    idsByPatient = Dictionary(grouping: data) { $0["patientId"] as? String ?? "" }.mapValues { $0.map { $0["alertId"] as? String ?? "" } }
                    return (0..<20).allSatisfy { idsByPatient["K-\($0)", default: []].count >= 2 }
                        && (20..<40).allSatisfy { idsByPatient["K-\($0)", default: []].count >= 1 }
                }
                #expect(complete, "alerts missing: \(idsByPatient.mapValues(\.count))")
                #expect(Set(idsByPatient.keys) == Set((0..<40).map { "K-\($0)" }), "an alert was lost")
                for (patient, ids) in idsByPatient {
                    #expect(Set(ids).count == 1, "the redelivered alerts for \(patient) have ids \(ids)")
                }
            }
        }

        @Test("SIGTERM mid-stream exits 0, commits what it finished and loses nothing; a successor does the rest")
        func sigterm() async throws {
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let date = Date().addingTimeInterval(-600)
                let daemon = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-term", arguments: ["--config", try Self.configFile(autoCommit: true)]))
                try await daemon.waitForReadiness()
                try kcat.produce(topic: "patient.cravings", Self.spikes(0..<100, at: date), headers: Events.structured)
                _ = await Wait.until(timeout: 30) { (try? await daemon.metric("vigil_events_consumed_total")) ?? 0 > 0 }
                daemon.process.signal(SIGTERM)
                try kcat.produce(topic: "patient.cravings", Self.spikes(100..<200, at: date), headers: Events.structured)
                let status = await daemon.process.waitForExit(timeout: 40)
                #expect(status == 0, "exit status \(String(describing: status)): \(daemon.process.stderr.suffix(2000))")
                #expect(daemon.process.stderr.contains("stopped cleanly"))

                // Every input offset it committed has its alert on the broker.
                let inputs = try kcat.consume(topic: "patient.cravings")
                let committed = try Offsets.committed(bootstrap: broker.bootstrap, groupId: "vigil-term", topic: "patient.cravings", partitions: 3)
                let alertedPatients = Set(try kcat.consume(topic: "care.alerts").compactMap { $0.key })
                let finished = inputs.filter { Int64($0.offset) < committed[Int32($0.partition), default: 0] }
                #expect(!finished.isEmpty)
                for input in finished { #expect(alertedPatients.contains(input.key ?? ""), "committed without its alert: \(input.key ?? "")") }

                let successor = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-term", arguments: ["--config", try Self.configFile(autoCommit: true)]))
                try await successor.waitForReadiness()
                let alerts = try await kcat.waitForMessages(topic: "care.alerts", count: 200, timeout: 90)
                #expect(Set(alerts.compactMap(\.key)) == Set((0..<200).map { "K-\($0)" }))
                #expect(alerts.count == 200, "a graceful stop must not cause redelivery")
            }
        }
    }
}
