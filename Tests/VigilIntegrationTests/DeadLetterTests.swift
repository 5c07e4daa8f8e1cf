import Foundation
import Testing

extension IntegrationTests {
    @Suite("Bad input lands in the dead-letter topic, byte for byte, with a reason")
    struct DeadLetterTests {
        @Test("every dead-letter code, with the original key, value and headers and the contract's headers")
        func everyCode() async throws {
            try await withBroker { broker, cleanup in
                let daemon = cleanup.daemon(try Daemon(broker: broker, environment: ["VIGIL_MAX_EVENT_BYTES": "2048"]))
                try await daemon.waitForReadiness()
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let now = Date()
                let good = Events.craving(3, id: "ok", patient: "K-good", at: now.addingTimeInterval(-60))
                let cases: [(key: String, value: String, code: String)] = [
                    ("K-malformed", #"{"specversion":"1.0","id":"x" é"#, "malformed-json"),
                    ("K-plain", #"{"hello":"world"}"#, "not-cloudevent"),
                    ("K-spec", good.replacingOccurrences(of: #""specversion":"1.0""#, with: #""specversion":"0.3""#), "unsupported-specversion"),
                    ("K-type", good.replacingOccurrences(of: "care.craving.v1", with: "care.mood.v9"), "unsupported-type"),
                    ("K-schema", Events.craving(42, id: "s", patient: "K-schema", at: now), "schema-violation"),
                    ("K-other", Events.craving(3, id: "m", patient: "K-mismatch", at: now), "key-mismatch"),
                    ("K-future", Events.craving(3, id: "f", patient: "K-future", at: now.addingTimeInterval(3600)), "time-in-future"),
                    ("K-large", good.replacingOccurrences(of: "\"data\"", with: String(repeating: " ", count: 3000) + "\"data\""), "too-large"),
                ]
                try kcat.produce(topic: "patient.checkins", cases.map { ($0.key, $0.value) }, headers: Events.structured + [("x-trace", "trace-7")])
                let originals = Dictionary(uniqueKeysWithValues: try kcat.consume(topic: "patient.checkins").map { ($0.key ?? "", $0) })
                let copies = try await kcat.waitForMessages(topic: "patient.events.dlq", count: cases.count)
                #expect(copies.count == cases.count)
                for (key, value, code) in cases {
                    let copy = try #require(copies.first { $0.key == key }, "no dead-letter copy for \(code)")
                    let original = try #require(originals[key])
                    #expect(copy.value == value, "\(code): value changed")
                    #expect(copy.header("vigil.error.code") == code)
                    #expect(copy.header("x-trace") == "trace-7")
                    #expect(copy.header("content-type") == "application/cloudevents+json")
                    #expect(copy.header("vigil.source.topic") == "patient.checkins")
                    #expect(copy.header("vigil.source.partition") == String(original.partition))
                    #expect(copy.header("vigil.source.offset") == String(original.offset))
                    #expect(copy.header("vigil.failed-at").flatMap(parseFractionalTime) != nil)
                    let detail = try #require(copy.header("vigil.error.detail"))
                    #expect(!detail.isEmpty && !detail.contains("\n"))
                    #expect(!detail.contains(key) && !detail.contains("42"), "\(code): the detail carries a value: \(detail)")
                }
                #expect(try await daemon.metric("vigil_events_dead_lettered_total") == Double(cases.count))
                #expect(try await daemon.metric("vigil_events_consumed_total", matching: #"type="invalid""#) == Double(cases.count))
                #expect(try kcat.consume(topic: "care.alerts").isEmpty)
                let ends = Offsets.ends(of: Array(originals.values))
                let committed = await Wait.until(timeout: 30) {
                    let offsets = (try? Offsets.committed(bootstrap: broker.bootstrap, groupId: daemon.groupId, topic: "patient.checkins", partitions: 3)) ?? [:]
                    return ends.allSatisfy { offsets[$0.key] == $0.value }
                }
                #expect(committed, "dead-lettered inputs were not committed")
            }
        }

        @Test("a keyless message is key-mismatch, a control character in an attribute not-cloudevent; details name no value")
        func strictness() async throws {
            try await withBroker { broker, cleanup in
                let daemon = cleanup.daemon(try Daemon(broker: broker))
                try await daemon.waitForReadiness()
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let now = Date().addingTimeInterval(-60)
                let keyless = Events.craving(9, id: "no-key", patient: "K-keyless", at: now)
                let nul = Events.craving(9, id: #"nul\u0000id"#, patient: "K-nul", at: now)
                let c1 = Events.craving(9, id: "ok", patient: "K-c1", at: now).replacingOccurrences(of: #""source":""#, with: #""source":"\u0085"#)
                // A line without the key delimiter is produced without a key.
                try kcat.produceKeyless(topic: "patient.cravings", [keyless], headers: Events.structured)
                try kcat.produce(topic: "patient.cravings", [("K-nul", nul), ("K-c1", c1)], headers: Events.structured)
                let copies = try await kcat.waitForMessages(topic: "patient.events.dlq", count: 3)
                let byValue = Dictionary(copies.map { ($0.value ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                let keylessCopy = try #require(byValue[keyless])
                #expect(keylessCopy.key == nil)
                #expect(keylessCopy.header("vigil.error.code") == "key-mismatch")
                #expect(byValue[nul]?.header("vigil.error.code") == "not-cloudevent")
                #expect(byValue[nul]?.header("vigil.error.detail")?.hasPrefix("id: contains a control character") == true)
                #expect(byValue[c1]?.header("vigil.error.code") == "not-cloudevent")
                #expect(byValue[c1]?.header("vigil.error.detail")?.hasPrefix("source: contains a control character") == true)
                #expect(try kcat.consume(topic: "care.alerts").isEmpty, "a rejected event alerted")
                #expect(try await daemon.get("/health/live").status == 200)
            }
        }
    }
}

/// Parses an RFC 3339 time with fractional seconds, as the daemon writes `vigil.failed-at`.
func parseFractionalTime(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}
