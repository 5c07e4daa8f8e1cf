import Foundation
import Testing

extension IntegrationTests {
    @Suite("Durable state: restarts keep history, cooldowns and timers; absence rules, escalation, acknowledgements")
    struct DurableStateTests {
        /// Short session timeouts (quick rebalances on the mock broker) and escalation delays in seconds.
        static func configFile(escalation: String) throws -> String {
            try ConfigFile.write(extra: "escalation:\n\(escalation)")
        }

        /// The `data` of every alert on the broker, read with kcat.
        static func alerts(_ kcat: Kcat) throws -> [[String: Any]] {
            try kcat.consume(topic: "care.alerts").compactMap { $0.json?["data"] as? [String: Any] }
        }

        static func alerts(_ kcat: Kcat, patient: String, rule: String? = nil, status: String? = nil) throws -> [[String: Any]] {
            try alerts(kcat).filter {
                $0["patientId"] as? String == patient && (rule == nil || $0["rule"] as? String == rule) && (status == nil || $0["status"] as? String == status)
            }
        }

        @Test("a restart after SIGKILL keeps trends and cooldowns: a spike inside the cooldown is still suppressed, a baseline still counts")
        func restartKeepsTrendsAndCooldowns() async throws {
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let config = try Self.configFile(escalation: "  high: []")
                let date = Date().addingTimeInterval(-3 * 3600)
                let first = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-restart", arguments: ["--config", config]))
                try await first.waitForReadiness()
                var before = (0..<5).map { ("T-1", Events.craving(2, id: "t-\($0)", patient: "T-1", at: date.addingTimeInterval(Double($0) * 60))) }
                before.append(("C-1", Events.craving(9, id: "c-0", patient: "C-1", at: date)))
                try kcat.produce(topic: "patient.cravings", before, headers: Events.structured)
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-restart", topics: ["patient.cravings"]))
                // The changelog, read by an independent client, holds both patients.
                let stateKeys = Set(try kcat.consume(topic: "vigil.patient-state").compactMap(\.key))
                #expect(stateKeys.isSuperset(of: ["T-1", "C-1"]), "state topic keys: \(stateKeys)")
                first.process.signal(SIGKILL)
                #expect(await first.process.waitForExit(timeout: 10) != nil)

                let second = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-restart", arguments: ["--config", config]))
                try await second.waitForReadiness()
                let later = date.addingTimeInterval(3600)
                try kcat.produce(topic: "patient.cravings", [
                    ("C-1", Events.craving(9, id: "c-1", patient: "C-1", at: later)),
                    ("T-1", Events.craving(5, id: "t-5", patient: "T-1", at: later)),
                ], headers: Events.structured)
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-restart", topics: ["patient.cravings"]))

                let spikes = try Self.alerts(kcat, patient: "C-1")
                #expect(spikes.count == 1, "the spike inside the cooldown was not suppressed after the restart")
                let trend = try Self.alerts(kcat, patient: "T-1")
                #expect(trend.map { $0["rule"] as? String } == ["craving-spike"], "the baseline did not survive the restart")
                #expect(trend.map { $0["severity"] as? String } == ["medium"])
                #expect(try await second.metric("vigil_alerts_suppressed_total", matching: #"reason="cooldown""#) >= 1)

                let body = try await second.get("/status").body
                let status = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])
                let state = try #require(status["state"] as? [String: Any])
                #expect(state["restoring"] as? Bool == false)
                #expect((state["patients"] as? Int ?? 0) >= 2)
                #expect(state["lastRestoreSeconds"] is Double || state["lastRestoreSeconds"] is Int)
            }
        }

        @Test("missed check-ins: fire after downtime once, fire live at medium then high, escalate, and resolve on the next check-in")
        func missedCheckins() async throws {
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let config = try Self.configFile(escalation: "  high: [4s]")
                let start = Date()
                let first = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-absence", arguments: ["--config", config]))
                try await first.waitForReadiness()
                // D-1 checks in every 7.2 s: medium due after 14.4 s, high after 28.8 s, both while the daemon is down.
                try kcat.produce(topic: "patient.checkins", [
                    ("D-1", Events.enrollment(id: "d-en", patient: "D-1", at: start, checkinEveryHours: 0.002)),
                    ("D-1", Events.checkin(id: "d-0", patient: "D-1", at: start)),
                ], headers: Events.structured)
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-absence", topics: ["patient.checkins"]))
                first.process.signal(SIGTERM)
                #expect(await first.process.waitForExit(timeout: 30) == 0)
                #expect(try Self.alerts(kcat, patient: "D-1").isEmpty)
                try await Task.sleep(for: .seconds(max(0, start.addingTimeInterval(31).timeIntervalSinceNow)))

                let second = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-absence", arguments: ["--config", config]))
                try await second.waitForReadiness()
                var downtime: [[String: Any]] = []
                _ = try await Wait.until(timeout: 30) {
                    downtime = try Self.alerts(kcat, patient: "D-1", rule: "missed-checkins", status: "firing")
                    return !downtime.isEmpty
                }
                #expect(downtime.map { $0["severity"] as? String } == ["high"], "after downtime only the level due fires, once")

                // M-1 checks in every 3.6 s, live: medium, high, an escalation of the high alert, then a check-in.
                let live = Date()
                try kcat.produce(topic: "patient.checkins", [
                    ("M-1", Events.enrollment(id: "m-en", patient: "M-1", at: live, checkinEveryHours: 0.001)),
                    ("M-1", Events.checkin(id: "m-0", patient: "M-1", at: live)),
                ], headers: Events.structured)
                var escalated: [[String: Any]] = []
                _ = try await Wait.until(timeout: 60) {
                    escalated = try Self.alerts(kcat, patient: "M-1", rule: "missed-checkins", status: "escalated")
                    return !escalated.isEmpty
                }
                let fired = try Self.alerts(kcat, patient: "M-1", rule: "missed-checkins", status: "firing")
                #expect(fired.map { $0["severity"] as? String } == ["medium", "high"])
                let high = try #require(fired.last)
                #expect(escalated.first?["escalationLevel"] as? Int == 1)
                #expect(escalated.first?["originalAlertId"] as? String == high["alertId"] as? String)

                try kcat.produce(topic: "patient.checkins", [("M-1", Events.checkin(id: "m-1", patient: "M-1", at: Date()))], headers: Events.structured)
                var resolved: [[String: Any]] = []
                _ = try await Wait.until(timeout: 30) {
                    resolved = try Self.alerts(kcat, patient: "M-1", rule: "missed-checkins", status: "resolved")
                    return !resolved.isEmpty
                }
                #expect(resolved.map { $0["originalAlertId"] as? String } == [high["alertId"] as? String])

                // Another restart: D-1's timer fired and was persisted, so it does not fire again.
                second.process.signal(SIGTERM)
                #expect(await second.process.waitForExit(timeout: 30) == 0)
                let third = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-absence", arguments: ["--config", config]))
                try await third.waitForReadiness()
                // A witness on D-1's partition whose own timer comes due shows that timers run there again.
                let partition = try #require(try kcat.consume(topic: "patient.checkins").first { $0.key == "D-1" }?.partition)
                try kcat.produce(topic: "patient.checkins", partition: partition, [
                    ("W-1", Events.enrollment(id: "w-en", patient: "W-1", at: Date(), checkinEveryHours: 0.0005)),
                ], headers: Events.structured)
                let witnessed = try await Wait.until(timeout: 30) {
                    !(try Self.alerts(kcat, patient: "W-1", rule: "missed-checkins")).isEmpty
                }
                #expect(witnessed, "no timer fired on D-1's partition after the restart")
                #expect(try Self.alerts(kcat, patient: "D-1", rule: "missed-checkins", status: "firing").count == 1)
            }
        }

        @Test("an acknowledgement stops escalation; an unacknowledged critical alert escalates to level 1, then 2")
        func acknowledgementStopsEscalation() async throws {
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let config = try Self.configFile(escalation: "  critical: [8s, 16s]")
                let daemon = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-ack", arguments: ["--config", config]))
                try await daemon.waitForReadiness()
                let now = Date()
                try kcat.produce(topic: "patient.checkins", [
                    ("A-1", Events.checkin(id: "a-0", patient: "A-1", at: now, data: #""phq9Item9":2"#)),
                    ("B-1", Events.checkin(id: "b-0", patient: "B-1", at: now, data: #""phq9Item9":2"#)),
                ], headers: Events.structured)
                var acked: [[String: Any]] = []
                _ = try await Wait.until(timeout: 30) {
                    acked = try Self.alerts(kcat, patient: "A-1", status: "firing")
                    return !acked.isEmpty
                }
                let alertId = try #require(acked.first?["alertId"] as? String)
                #expect(acked.first?["severity"] as? String == "critical")
                try kcat.produce(topic: "care.alert-acks", [("A-1", Events.acknowledgement(id: "ack-1", patient: "A-1", alertId: alertId, at: Date()))], headers: Events.structured)

                var escalations: [[String: Any]] = []
                _ = try await Wait.until(timeout: 60) {
                    escalations = try Self.alerts(kcat, patient: "B-1", status: "escalated")
                    return escalations.count >= 2
                }
                #expect(escalations.compactMap { $0["escalationLevel"] as? Int } == [1, 2])
                #expect(try Self.alerts(kcat, patient: "A-1", status: "escalated").isEmpty, "the acknowledged alert escalated")
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-ack", topics: ["care.alert-acks"]))
            }
        }
    }
}
