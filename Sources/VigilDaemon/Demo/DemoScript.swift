import Foundation
import VigilCore

/// The demo's synthetic caseload: most patients are doing fine, a few are in trouble in ways the rules know.
/// Deterministic, so that every run tells the same story.
struct DemoScript {
    let patients: Int
    private var random = SplitMix64(seed: 42)
    private var tick = 0
    private var cycle = 0

    init(patients: Int) {
        self.patients = max(patients, 12)
    }

    /// Ticks per story cycle; each cycle replays the troubles with fresh patients so that alerts keep coming.
    static let cycleLength = 60

    /// The events for the next tick (one calm event, and a scripted one on some ticks).
    mutating func next(now: Date) -> [SyntheticEvent] {
        defer {
            tick += 1
            if tick % Self.cycleLength == 0 { cycle += 1 }
        }
        var events = [calmEvent(now: now)]
        if let trouble = troubleEvent(step: tick % Self.cycleLength, now: now) { events.append(trouble) }
        return events
    }

    private func patient(_ number: Int) -> String { String(format: "demo-%02d", number) }
    private func troubled(_ name: String) -> String { "demo-\(name)-\(cycle + 1)" }

    private mutating func calmEvent(now: Date) -> SyntheticEvent {
        let patientId = patient(Int(random.next() % UInt64(patients)) + 1)
        let id = "calm-\(cycle)-\(tick)"
        if random.next() % 2 == 0 {
            return SyntheticEvent(id: id, type: .craving, time: now, patientId: patientId, fields: [("score", .number(Double(random.next() % 4)))])
        }
        return SyntheticEvent(id: id, type: .checkin, time: now, patientId: patientId, fields: [
            ("mood", .number(Double(6 + random.next() % 4))), ("stress", .number(Double(1 + random.next() % 4))),
            ("sleepHours", .number(Double(6 + random.next() % 3))),
        ])
    }

    private func troubleEvent(step: Int, now: Date) -> SyntheticEvent? {
        let id = "trouble-\(cycle)-\(step)"
        func event(_ type: EventType, _ who: String, _ fields: [(String, SyntheticEvent.FieldValue)]) -> SyntheticEvent {
            SyntheticEvent(id: id, type: type, time: now, patientId: troubled(who), fields: fields)
        }
        switch step {
        case 3: return event(.craving, "rising", [("score", .number(3)), ("substance", .string("ketamine"))])
        case 8: return event(.craving, "rising", [("score", .number(5)), ("substance", .string("ketamine"))])
        case 13: return event(.craving, "rising", [("score", .number(7)), ("substance", .string("ketamine"))])
        case 18: return event(.checkin, "help", [("helpRequested", .bool(true))])
        // A spike right after the help request joins its alert group: published, shown indented, no second page.
        case 20: return event(.craving, "help", [("score", .number(9)), ("substance", .string("ketamine"))])
        case 23: return event(.checkin, "lapse", [("substanceUse", .object([("used", .bool(true)), ("substances", .strings(["alcohol"]))]))])
        case 28: return event(.checkin, "lapse", [("substanceUse", .object([("used", .bool(true)), ("substances", .strings(["heroin"]))]))])
        case 33: return event(.checkin, "low", [("mood", .number(2)), ("stress", .number(8)), ("sleepHours", .number(4))])
        case 34: return event(.craving, "low", [("score", .number(6))])
        case 38, 43, 48: return event(.appointment, "absent", [("status", .string("missed")), ("kind", .string("therapy"))])
        case 53: return event(.checkin, "phq", [("phq9Item9", .number(1)), ("mood", .number(3))])
        case 55: return event(.craving, "phq", [("score", .number(8)), ("substance", .string("ketamine"))])
        case 57: return event(.checkin, "withdrawal", [("withdrawal", .object([("scale", .string("COWS")), ("score", .number(16))]))])
        default: return nil
        }
    }
}
