import Foundation
import Testing
import VigilCore

@Suite struct MissedAppointmentsRuleTests {
    let rule: RuleHarness

    init() throws { rule = try RuleHarness("missed-appointments") }

    func evaluate(_ appointments: [(Appointment.Status, TimeInterval)]) -> RuleMatch? {
        let events = appointments.map { Make.appointment($0.0, at: $0.1) }
        return rule.evaluate(events.last!, after: events.dropLast())
    }

    @Test func twoMissedWithinThirtyDaysIsMedium() throws {
        let first = Make.appointment(.missed, at: 0)
        let second = Make.appointment(.missed, at: .days(10))
        let match = try #require(rule.evaluate(second, after: [first]))
        #expect(match.severity == .medium)
        #expect(match.cooldown == .hours(24))
        #expect(match.summary == "2 appointments missed within 30 days (threshold 2)")
        #expect(match.evidence == [
            Evidence(eventId: first.id, type: .appointment, time: first.time, field: "status", value: .string("missed")),
            Evidence(eventId: second.id, type: .appointment, time: second.time, field: "status", value: .string("missed")),
        ])
    }

    @Test(arguments: [(TimeInterval.days(30), false), (.days(30) - 1, true)])
    func windowIsThirtyDays(gap: TimeInterval, fires: Bool) {
        #expect(evaluate([(.missed, 0), (.attended, .days(1)), (.missed, gap)])?.severity == (fires ? .medium : nil))
    }

    @Test func threeInARowIsHighHoweverSpread() throws {
        let match = try #require(evaluate([(.missed, 0), (.missed, .days(40)), (.missed, .days(80))]))
        #expect(match.severity == .high)
        #expect(match.summary == "3 appointments missed in a row (threshold 3)")
        #expect(match.evidence.count == 3)
    }

    @Test func anAttendedAppointmentBreaksTheRun() {
        #expect(evaluate([(.missed, 0), (.attended, .days(1)), (.missed, .days(2)), (.missed, .days(3))])?.severity == .medium)
    }

    @Test func aCancelledAppointmentNeitherBreaksNorCounts() throws {
        let match = try #require(evaluate([(.attended, 0), (.missed, .days(1)), (.cancelled, .days(2)), (.missed, .days(3)), (.cancelled, .days(4)), (.missed, .days(5))]))
        #expect(match.severity == .high)
        #expect(match.evidence.map(\.value) == Array(repeating: .string("missed"), count: 3))
        #expect(evaluate([(.missed, 0), (.cancelled, .days(1)), (.cancelled, .days(2))]) == nil)
        #expect(evaluate([(.cancelled, 0), (.cancelled, .days(1)), (.missed, .days(2))]) == nil)
    }

    @Test func firesOnlyOnAMissedAppointment() {
        #expect(evaluate([(.missed, 0), (.missed, .days(1)), (.attended, .days(2))]) == nil)
        #expect(evaluate([(.missed, 0)]) == nil)
    }

    @Test func orderIsByEventTime() throws {
        // The attended appointment on day 2 arrives late; the run ending on day 4 is two long, the window holds three.
        let history = [Make.appointment(.missed, at: .days(1)), Make.appointment(.missed, at: .days(3)), Make.appointment(.attended, at: .days(2))]
        let match = try #require(rule.evaluate(Make.appointment(.missed, at: .days(4)), after: history))
        #expect(match.severity == .medium)
        #expect(match.summary == "3 appointments missed within 30 days (threshold 2)")
    }

    @Test func configured() throws {
        let configured = try RuleHarness("missed-appointments", ["consecutiveMissed": .number(2), "missedInWindow": .number(1), "window": .string("7d")])
        #expect(configured.evaluate(Make.appointment(.missed, at: 0))?.summary == "1 appointment missed within 7 days (threshold 1)")
        let history = [Make.appointment(.missed, at: 0)]
        #expect(configured.evaluate(Make.appointment(.missed, at: .days(20)), after: history)?.summary == "2 appointments missed in a row (threshold 2)")
    }
}
