import Foundation
import Testing
import VigilCore
import VigilRules
@testable import VigilDaemon

@Suite("SyntheticEvent: what the demo and the benchmark publish decodes as the contract says")
struct SyntheticEventTests {
    static let time = Date(timeIntervalSince1970: 1_800_000_000.25)
    static let now = time.addingTimeInterval(60)

    static let cases: [(SyntheticEvent, PatientEvent.Payload)] = [
        (
            SyntheticEvent(id: "c-1", type: .craving, time: time, patientId: "P-1", fields: [("score", .number(8.5)), ("substance", .string("ketamine"))]),
            .craving(Craving(score: 8.5, substance: "ketamine"))
        ),
        (
            SyntheticEvent(id: "k-1", type: .checkin, time: time, patientId: "demo-low-1", fields: [
                ("mood", .number(2)), ("stress", .number(8)), ("sleepHours", .number(4.5)), ("cueExposure", .bool(true)),
                ("substanceUse", .object([("used", .bool(true)), ("substances", .strings(["alcohol", "heroin"]))])),
                ("withdrawal", .object([("scale", .string("COWS")), ("score", .number(16)), ("complicated", .bool(false))])),
                ("phq9Item9", .number(1)), ("helpRequested", .bool(false)),
            ]),
            .checkin(Checkin(
                mood: 2, stress: 8, sleepHours: 4.5, substanceUse: .init(used: true, substances: ["alcohol", "heroin"]), cueExposure: true,
                withdrawal: .init(scale: .cows, score: 16, complicated: false), phq9Item9: 1, helpRequested: false))
        ),
        (
            SyntheticEvent(id: "a-1", type: .appointment, time: time, patientId: "P_2:x.y", fields: [("status", .string("missed")), ("kind", .string("therapy"))]),
            .appointment(Appointment(status: .missed, kind: "therapy"))
        ),
        (
            SyntheticEvent(id: "n-1", type: .enrollment, time: time, patientId: "P-3", fields: [("status", .string("active")), ("checkinEveryHours", .number(12))]),
            .enrollment(Enrollment(status: .active, checkinEveryHours: 12))
        ),
        (
            SyntheticEvent(id: "x-1", type: .alertAck, time: time, patientId: "P-4", fields: [
                ("alertId", .string("abc123")), ("action", .string("resolved")), ("reason", .string("called, \"fine\"")),
            ]),
            .alertAck(AlertAck(alertId: "abc123", action: .resolved, reason: "called, \"fine\""))
        ),
    ]

    func decode(_ event: SyntheticEvent) -> Result<PatientEvent, DecodeFailure> {
        decodeStructured(key: event.patientId, value: event.json(), now: Self.now)
    }

    @Test("json() decodes into the same id, source, time, patient, type and fields", arguments: cases)
    func roundTrip(_ event: SyntheticEvent, payload: PatientEvent.Payload) throws {
        let decoded = try decode(event).get()
        #expect(decoded.id == event.id)
        #expect(decoded.source == SyntheticEvent.source)
        #expect(decoded.time == event.time)
        #expect(decoded.patientId == event.patientId)
        #expect(decoded.type == event.type)
        #expect(Self.same(decoded.payload, payload), "decoded \(decoded.payload), expected \(payload)")
    }

    @Test("json() is a structured-mode CloudEvent with the contract's attributes")
    func attributes() throws {
        let event = Self.cases[0].0
        let json = try JSONParser.parse(event.json())
        #expect(json["specversion"] == .string("1.0"))
        #expect(json["id"] == .string("c-1"))
        #expect(json["source"] == .string("app://vigil-synthetic"))
        #expect(json["type"] == .string("care.craving.v1"))
        #expect(json["time"] == .string("2027-01-15T08:00:00.250Z"))
        #expect(json["datacontenttype"] == .string("application/json"))
        #expect(json["data"] == .object([("patientId", .string("P-1")), ("score", .number(8.5)), ("substance", .string("ketamine"))]))
    }

    @Test("every event of the demo's script decodes, over two whole cycles")
    func demoScriptDecodes() throws {
        var script = DemoScript(patients: 12)
        var types: Set<String> = []
        var count = 0
        for tick in 0..<(2 * DemoScript.cycleLength) {
            for event in script.next(now: Self.time.addingTimeInterval(Double(tick))) {
                let decoded = try decode(event).get()
                #expect(decoded.patientId == event.patientId)
                #expect(decoded.type == event.type)
                types.insert(decoded.type.rawValue)
                count += 1
            }
        }
        #expect(types == ["care.craving.v1", "care.checkin.v1", "care.appointment.v1"])
        // One calm event per tick, and 15 scripted troubles per cycle.
        #expect(count == 2 * (DemoScript.cycleLength + 15))
    }

    @Test("the demo's script shows alert groups: some alerts join a page's group without paging")
    func demoScriptGroups() throws {
        var script = DemoScript(patients: 12)
        let engine = RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:]))
        var states: [String: PatientState] = [:]
        var alerts: [Alert] = []
        for tick in 0..<DemoScript.cycleLength {
            let now = Self.time.addingTimeInterval(Double(tick))
            for event in script.next(now: now) {
                let decoded = try decode(event).get()
                let result = engine.process(decoded, state: &states[decoded.patientId, default: PatientState()], detectedAt: now)
                alerts += result.timerAlerts + (result.alert.map { [$0] } ?? [])
            }
        }
        let grouped = alerts.filter { !$0.notify }
        #expect(grouped.map(\.patientId).sorted() == ["demo-help-1", "demo-phq-1"])
        for alert in grouped {
            #expect(alerts.contains { $0.alertId == alert.groupId && $0.notify })
        }
    }

    static func same(_ a: PatientEvent.Payload, _ b: PatientEvent.Payload) -> Bool {
        switch (a, b) {
        case (.craving(let x), .craving(let y)): x == y
        case (.checkin(let x), .checkin(let y)): x == y
        case (.appointment(let x), .appointment(let y)): x == y
        case (.enrollment(let x), .enrollment(let y)): x == y
        case (.alertAck(let x), .alertAck(let y)): x == y
        default: false
        }
    }
}
