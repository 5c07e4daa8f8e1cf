import Foundation
import Testing
import VigilCore

@Suite("Alerts on the wire")
struct AlertEncoderTests {
    let alert = Alert(
        alertId: AlertID.make(patientId: "P-1", rule: "craving-spike", eventSource: "app://test", eventId: "e-1", status: .firing),
        patientId: "P-1", rule: "craving-spike", ruleVersion: 1, severity: .high, status: .firing,
        summary: "Craving 9/10 (threshold 8) \"quoted\"",
        evidence: [Evidence(eventId: "e-1", type: .craving, time: Fixtures.now, field: "score", value: .number(9))],
        alsoMatched: ["rising-craving"], triggeredAt: Fixtures.now, detectedAt: Fixtures.now.addingTimeInterval(1.5),
        recommendedAction: Severity.high.recommendedAction)

    @Test("a structured CloudEvent with every contract field")
    func encodes() throws {
        let event = try JSONParser.parse(AlertEncoder.encode(alert))
        #expect(event["specversion"] == .string("1.0"))
        #expect(event["type"] == .string("care.relapse-alert.v1"))
        #expect(event["id"] == .string(alert.alertId))
        #expect(event["subject"] == .string("P-1"))
        #expect(event["time"] == .string("2026-11-26T12:00:01.500Z"))
        let data = try #require(event["data"])
        #expect(data["alertId"] == .string(alert.alertId))
        #expect(data["patientId"] == .string("P-1"))
        #expect(data["rule"] == .string("craving-spike"))
        #expect(data["ruleVersion"] == .number(1))
        #expect(data["severity"] == .string("high"))
        #expect(data["status"] == .string("firing"))
        #expect(data["summary"] == .string("Craving 9/10 (threshold 8) \"quoted\""))
        #expect(data["alsoMatched"] == .array([.string("rising-craving")]))
        #expect(data["triggeredAt"] == .string("2026-11-26T12:00:00.000Z"))
        #expect(data["detectedAt"] == .string("2026-11-26T12:00:01.500Z"))
        #expect(data["recommendedAction"] == .string("Contact the patient within 4 hours"))
        #expect(data["evidence"] == .array([.object([
            ("eventId", .string("e-1")), ("type", .string("care.craving.v1")), ("time", .string("2026-11-26T12:00:00.000Z")),
            ("field", .string("score")), ("value", .number(9)),
        ])]))
    }

    @Test("ids are deterministic and differ when any input differs")
    func ids() {
        let id = AlertID.make(patientId: "P-1", rule: "r", eventSource: "s", eventId: "e", status: .firing)
        #expect(id == AlertID.make(patientId: "P-1", rule: "r", eventSource: "s", eventId: "e", status: .firing))
        #expect(id.count == 32)
        let others = [
            AlertID.make(patientId: "P-2", rule: "r", eventSource: "s", eventId: "e", status: .firing),
            AlertID.make(patientId: "P-1", rule: "q", eventSource: "s", eventId: "e", status: .firing),
            AlertID.make(patientId: "P-1", rule: "r", eventSource: "t", eventId: "e", status: .firing),
            AlertID.make(patientId: "P-1", rule: "r", eventSource: "s", eventId: "f", status: .firing),
            AlertID.make(patientId: "P-1", rule: "r", eventSource: "s", eventId: "e", status: .resolved),
            AlertID.make(patientId: "P-1", rule: "rs", eventSource: "", eventId: "e", status: .firing),
        ]
        #expect(Set(others + [id]).count == 7)
    }

    @Test("ids stay what earlier releases made: FNV-1a 128 in 32 lower-case hex digits, zero-padded")
    func idsAreStable() {
        // Computed independently (Python, the FNV-1a reference constants): a consumer deduplicating across an
        // upgrade relies on the same event giving the same id.
        #expect(AlertID.make(patientId: "P-1", rule: "craving-spike", eventSource: "app://test", eventId: "e-1", status: .firing)
            == "ae894ad447330c778244fa7e1b17047c")
    }

    @Test("the hash's shift-and-add step equals multiplying by the FNV-128 prime, for any text")
    func hashStepIsTheReferenceMultiplication() {
        let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b
        for text in ["", "a", "app://loadgen", "Ünïcödé 🙂 text", String(repeating: "xyz\u{ff}", count: 300), "\u{0}\u{7f}"] {
            var reference: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
            for byte in text.utf8 {
                reference ^= UInt128(byte)
                reference &*= prime
            }
            var hash = FNV1a128()
            hash.add(text)
            #expect(hash.value == reference)
        }
    }
}
