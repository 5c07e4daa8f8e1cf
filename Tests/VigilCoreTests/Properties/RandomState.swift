import Foundation
@testable import VigilCore

/// Builds an arbitrary patient state from a list of seeds, one part of the state per seed, so that the property
/// library's shrinking (dropping seeds) finds the smallest failing state. Values reach for the codec's edges:
/// dates that are not whole milliseconds or far from now, non-integer and negative numbers, non-ASCII, empty and
/// repeated strings, every optional present or absent.
struct RandomState {
    private var random: SplitMix64

    static func state(from seeds: [UInt64]) -> PatientState {
        var state = PatientState()
        for seed in seeds {
            var builder = RandomState(random: SplitMix64(seed: seed))
            builder.addPart(to: &state)
        }
        return state
    }

    private mutating func addPart(to state: inout PatientState) {
        switch int(0..<10) {
        case 0: state.history.record(event(.craving(Craving(score: number(), substance: bool() ? string() : nil))))
        case 1: state.history.record(event(.checkin(checkin())))
        case 2: state.history.record(event(.appointment(Appointment(status: [.attended, .missed, .cancelled][int(0..<3)]))))
        case 3: state.processedEvents.insert(.init(source: string(), id: string()), time: date())
        case 4: state.cooldowns[string()] = .init(until: date(), severity: severity())
        case 5: state.timers.awaitingCheckin.append(alert())
        case 6: state.timers.escalations.append(.init(alert: alert(), level: int(0..<5), alertIds: AlertIDList((0..<int(0..<4)).map { _ in string() })))
        case 7: state.group = AlertGroup(id: string(), latestTriggeredAt: date(), notifiedSeverity: severity(), memberIds: AlertIDList((0..<int(0..<5)).map { _ in string() }))
        case 8:
            state.timers.checkinClockStart = bool() ? date() : nil
            state.timers.checkinClockEventId = bool() ? string() : nil
            state.timers.checkinClockEventType = EventType.allCases[int(0..<EventType.allCases.count)]
            state.timers.missedLevel = int(0..<6)  // the reader refuses a negative level: the engine never makes one
            if bool() {
                state.timers.lapseDeadline = date()
                if bool() { state.timers.lapseAlertId = string() }
                if bool() { state.timers.lapseEvidence = evidence() }
            }
        default:
            state.isDischarged = bool()
            state.latestEventTime = date()
            state.nextPruneAt = date()
            state.history.checkinEveryHours = Double(int(1..<2000)) / 8  // a cadence is positive (the reader refuses others)
        }
    }

    private mutating func event(_ payload: PatientEvent.Payload) -> PatientEvent {
        PatientEvent(id: string(), source: string(), time: date(), patientId: "P-1", payload: payload)
    }

    private mutating func checkin() -> Checkin {
        Checkin(
            mood: bool() ? int(-5..<15) : nil, stress: bool() ? int(0..<11) : nil, sleepHours: bool() ? number() : nil,
            substanceUse: bool() ? .init(used: bool(), substances: (0..<int(0..<3)).map { _ in string() }) : nil,
            cueExposure: bool() ? bool() : nil,
            withdrawal: bool() ? .init(scale: bool() ? .cows : .ciwaAr, score: number(), complicated: bool()) : nil,
            phq9Item9: bool() ? int(0..<4) : nil, helpRequested: bool() ? bool() : nil)
    }

    private mutating func alert() -> Alert {
        let rule = string()
        var alert = Alert(
            alertId: string(), patientId: "P-1", rule: rule, ruleVersion: int(-3..<300), severity: severity(),
            status: [.firing, .escalated, .resolved][int(0..<3)], summary: string(),
            evidence: (0..<int(0..<4)).map { _ in evidence() }, alsoMatched: (0..<int(0..<3)).map { _ in string() },
            triggeredAt: date(), detectedAt: date(), recommendedAction: string(),
            groupId: bool() ? string() : nil, notify: bool())
        if bool() { alert.escalationLevel = int(0..<4) }
        if bool() { alert.originalAlertId = string() }
        return alert
    }

    private mutating func evidence() -> Evidence {
        let value: Evidence.Value = switch int(0..<4) {
        case 0: .number(number())
        case 1: .bool(bool())
        case 2: .string(string())
        default: .strings((0..<int(0..<4)).map { _ in string() })
        }
        return Evidence(eventId: string(), type: EventType.allCases[int(0..<EventType.allCases.count)], time: date(), field: string(), value: value)
    }

    private mutating func severity() -> Severity { Severity.allCases[int(0..<Severity.allCases.count)] }
    private mutating func bool() -> Bool { random.next() & 1 == 1 }
    private mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }

    /// Integers 0…255 (the codec's short form), negatives, fractions, large and tiny magnitudes, signed zero.
    private mutating func number() -> Double {
        switch int(0..<6) {
        case 0: Double(int(0..<256))
        case 1: -Double(int(1..<1000))
        case 2: Double(int(0..<10_000)) / 8
        case 3: Double.random(in: -1e300...1e300, using: &random)
        case 4: [-0.0, 256, Double.leastNonzeroMagnitude, .greatestFiniteMagnitude][int(0..<4)]
        default: Double.random(in: 0...10, using: &random)
        }
    }

    /// Whole milliseconds (the short form), sub-millisecond instants, and the far past and future.
    private mutating func date() -> Date {
        switch int(0..<5) {
        case 0: Date(timeIntervalSince1970: 1_800_000_000 + Double(int(-100_000_000..<100_000_000)) / 1000)
        case 1: Date(timeIntervalSince1970: Double.random(in: 0...4_000_000_000, using: &random))
        case 2: [Date.distantPast, .distantFuture, Date(timeIntervalSince1970: 0)][int(0..<3)]
        case 3: Date(timeIntervalSince1970: -Double(int(0..<1_000_000_000)))
        default: Date(timeIntervalSince1970: 1_800_000_000 + Double(int(0..<86_400_000)) / 1000 + 0.000_25)
        }
    }

    /// Repeats (the codec's string table), empty, quoted, control and non-ASCII text, and random ASCII.
    private mutating func string() -> String {
        let pool = ["", "P-1", "craving-spike", "alcohol", "Keine Rückmeldung seit 48 h", "\"quoted\"\n\t", "\u{0}\u{1F}", "🚨 ketamine", "a-1"]
        if bool() { return pool[int(0..<pool.count)] }
        return String((0..<int(0..<40)).map { _ in Character(UnicodeScalar(UInt8(int(32..<127)))) })
    }
}
