import Foundation
import Testing

extension IntegrationTests {
    @Suite("A clinical story in, the right alerts out")
    struct ClinicalStoryTests {
        @Test("each patient's story yields exactly the alerts CLINICAL.md calls for; offsets are committed to the end")
        func story() async throws {
            try await withBroker { broker, cleanup in
            let daemon = cleanup.daemon(try Daemon(broker: broker))
            try await daemon.waitForReadiness()
            let kcat = Kcat(bootstrap: broker.bootstrap)
            let base = Date().addingTimeInterval(-6 * 3600)
            let hour: TimeInterval = 3600

            try kcat.produce(topic: "patient.cravings", [
                ("P-S1", Events.craving(9, id: "s1-1", patient: "P-S1", at: base, substance: "ketamine")),
                ("P-S4", Events.craving(9, id: "s4-1", patient: "P-S4", at: base)),
                ("P-S4", Events.craving(9, id: "s4-2", patient: "P-S4", at: base + hour)),
                ("P-S5", Events.structured("care.enrollment.v1", id: "s5-1", patient: "P-S5", at: base, data: #""status":"discharged""#)),
                ("P-S5", Events.craving(10, id: "s5-2", patient: "P-S5", at: base + hour)),
                ("P-S6", Events.craving(9, id: "dup-1", patient: "P-S6", at: base)),
                ("P-S6", Events.craving(9, id: "dup-1", patient: "P-S6", at: base)),
            ], headers: Events.structured)
            try kcat.produce(topic: "patient.checkins", [
                ("P-S2", Events.structured("care.checkin.v1", id: "s2-1", patient: "P-S2", at: base, data: #""phq9Item9":2,"helpRequested":true,"mood":2"#)),
            ], headers: Events.structured)
            // Binary content mode: attributes in ce_ headers, data in the value.
            try kcat.produce(topic: "patient.checkins", [
                ("P-S3", #"{"patientId":"P-S3","substanceUse":{"used":true,"substances":["alcohol"]}}"#),
            ], headers: [
                ("ce_specversion", "1.0"), ("ce_id", "s3-1"), ("ce_source", "ehr://clinic"), ("ce_type", "care.checkin.v1"),
                ("ce_time", Events.time(base)), ("content-type", "application/json"),
            ])
            _ = try await kcat.waitForMessages(topic: "care.alerts", count: 5)
            try kcat.produce(topic: "patient.checkins", [
                ("P-S3", Events.structured("care.checkin.v1", id: "s3-2", patient: "P-S3", at: base + 2 * hour, data: #""substanceUse":{"used":true,"substances":["heroin"]}"#)),
            ], headers: Events.structured)

            let consumedAll = await Wait.until(timeout: 60) { (try? await daemon.metric("vigil_events_consumed_total")) == 10 }
            #expect(consumedAll)
            let alerts = try await kcat.waitForMessages(topic: "care.alerts", count: 6)
            let byPatient = Dictionary(grouping: alerts.compactMap { $0.json?["data"] as? [String: Any] }) { $0["patientId"] as? String ?? "" }
            func rules(_ patient: String) -> [String] { (byPatient[patient] ?? []).map { "\($0["rule"]!)/\($0["severity"]!)" } }
            #expect(rules("P-S1") == ["craving-spike/high"])
            #expect(byPatient["P-S1"]?.first?["summary"] as? String == "Craving 9/10 (threshold 8)")
            #expect(rules("P-S2") == ["suicidal-ideation/critical"])
            #expect((byPatient["P-S2"]?.first?["summary"] as? String)?.contains("2/3") == true)
            #expect(byPatient["P-S2"]?.first?["alsoMatched"] as? [String] == ["help-request"])
            #expect(rules("P-S3") == ["substance-use/high", "polysubstance/critical"])
            #expect(rules("P-S4") == ["craving-spike/high"], "the second spike falls in the cooldown")
            #expect(rules("P-S5") == [], "a discharged patient gets no alerts")
            #expect(rules("P-S6") == ["craving-spike/high"], "a duplicate never alerts twice")
            #expect(alerts.count == 6)
            #expect(try await daemon.metric("vigil_events_duplicate_total") == 1)
            #expect(try await daemon.metric("vigil_alerts_suppressed_total", matching: #"reason="cooldown""#) >= 1)
            #expect(try await daemon.metric("vigil_alerts_suppressed_total", matching: #"reason="discharged""#) >= 1)

            for alert in alerts {
                #expect(alert.header("content-type") == "application/cloudevents+json")
                let event = try #require(alert.json)
                let data = try #require(event["data"] as? [String: Any])
                #expect(alert.key == data["patientId"] as? String)
                #expect(event["type"] as? String == "care.relapse-alert.v1")
                #expect(event["id"] as? String == data["alertId"] as? String)
                #expect(event["subject"] as? String == data["patientId"] as? String)
                #expect(data["status"] as? String == "firing")
                #expect((data["evidence"] as? [[String: Any]])?.isEmpty == false)
            }

            for topic in ["patient.cravings", "patient.checkins"] {
                let ends = Offsets.ends(of: try kcat.consume(topic: topic))
                let reached = await Wait.until(timeout: 30) {
                    let committed = (try? Offsets.committed(bootstrap: broker.bootstrap, groupId: daemon.groupId, topic: topic, partitions: 3)) ?? [:]
                    return ends.allSatisfy { committed[$0.key] == $0.value }
                }
                #expect(reached, "committed offsets of \(topic) did not reach \(ends)")
            }
            }
        }
    }
}
