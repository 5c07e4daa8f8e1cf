import Foundation
import Testing

extension IntegrationTests {
    @Suite("Alert groups survive a rebalance and a restart: the patient's group is part of the durable state")
    struct AlertGroupIntegrationTests {
        static let patients = (0..<12).map { "G-\($0)" }
        static let start = Date().addingTimeInterval(-5 * 3600)

        static func helpRequests(_ tag: String, hours: Double) -> [(String, String)] {
            patients.map { ($0, Events.checkin(id: "\($0)-\(tag)", patient: $0, at: start.addingTimeInterval(hours * 3600), data: #""helpRequested":true"#)) }
        }

        @Test("a page opens each patient's group; alerts after a rebalance and after a restart join it without paging")
        func groupsSurviveRebalanceAndRestart() async throws {
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let config = try ConfigFile.write(extra: "escalation:\n  critical: []\n  high: []")
                let group = "vigil-groups"
                let first = cleanup.daemon(try Daemon(broker: broker, groupId: group, arguments: ["--config", config]))
                try await first.waitForReadiness()
                try kcat.produce(topic: "patient.cravings", Self.patients.map { ($0, Events.craving(9, id: "\($0)-spike", patient: $0, at: Self.start)) }, headers: Events.structured)
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: group, topics: ["patient.cravings"]))

                // A second instance joins: about half of the patients move to it, with their state.
                let second = cleanup.daemon(try Daemon(broker: broker, groupId: group, arguments: ["--config", config]))
                let shared = await Wait.until(timeout: 90) {
                    guard let a = try? await ScaleOutTests.partitions(of: first), let b = try? await ScaleOutTests.partitions(of: second) else { return false }
                    return !a.isEmpty && !b.isEmpty
                }
                #expect(shared, "the second instance took no partitions")
                try kcat.produce(topic: "patient.checkins", Self.helpRequests("after-rebalance", hours: 1), headers: Events.structured)
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: group, topics: ["patient.checkins"], timeout: 120))

                // Both stop; a fresh instance restores every patient from the changelog.
                for daemon in [first, second] { daemon.process.signal(SIGTERM) }
                for daemon in [first, second] { #expect(await daemon.process.waitForExit(timeout: 30) == 0) }
                let third = cleanup.daemon(try Daemon(broker: broker, groupId: group, arguments: ["--config", config]))
                try await third.waitForReadiness()
                try kcat.produce(topic: "patient.checkins", Self.helpRequests("after-restart", hours: 2), headers: Events.structured)
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: group, topics: ["patient.checkins"], timeout: 120))

                let alerts = try DurableStateTests.alerts(kcat)
                for patient in Self.patients {
                    let mine = alerts.filter { $0["patientId"] as? String == patient }.sorted { ($0["triggeredAt"] as? String ?? "") < ($1["triggeredAt"] as? String ?? "") }
                    #expect(mine.map { $0["rule"] as? String } == ["craving-spike", "help-request", "help-request"], "\(patient): \(mine.map { $0["rule"] ?? "" })")
                    guard let page = mine.first, let groupId = page["alertId"] as? String else { continue }
                    #expect(mine.map { $0["notify"] as? Bool } == [true, false, false], "\(patient)")
                    #expect(mine.allSatisfy { $0["groupId"] as? String == groupId }, "\(patient): \(mine.map { $0["groupId"] ?? "" })")
                }
                #expect(try await third.metric("vigil_alerts_grouped_total", matching: #"rule="help-request""#) == Double(Self.patients.count))
                #expect(try await third.metric("vigil_alert_notifications_total") == 0)
            }
        }
    }
}
