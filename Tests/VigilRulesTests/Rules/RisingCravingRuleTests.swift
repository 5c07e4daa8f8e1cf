import Foundation
import Testing
import VigilCore

@Suite struct RisingCravingRuleTests {
    let rule: RuleHarness

    init() throws { rule = try RuleHarness("rising-craving") }

    /// Scores one hour apart; the last is the event under evaluation.
    func evaluate(_ scores: [Double], spacing: TimeInterval = .hours(1)) -> RuleMatch? {
        let events = scores.enumerated().map { Make.craving($0.element, at: Double($0.offset) * spacing) }
        return rule.evaluate(events.last!, after: events.dropLast())
    }

    @Test func risingToSevenIsHigh() throws {
        let events = [Make.craving(3, at: 0), Make.craving(5, at: .hours(1)), Make.craving(7, at: .hours(2))]
        let match = try #require(rule.evaluate(events[2], after: Array(events[0...1])))
        #expect(match.severity == .high)
        #expect(match.cooldown == .hours(24))
        #expect(match.summary == "Craving rose over the last 3 scores within 72 h: 3 → 5 → 7, up 4 (threshold: up 3 to at least 5; high from 7)")
        #expect(match.evidence == events.map { Evidence(eventId: $0.id, type: .craving, time: $0.time, field: "score", value: .number(Self.score($0))) })
    }

    static func score(_ event: PatientEvent) -> Double {
        if case .craving(let craving) = event.payload { return craving.score }
        return .nan
    }

    @Test(arguments: [
        ([2.0, 4, 5], Severity.medium), ([2, 4, 6.9], .medium), ([2, 4, 7], .high), ([9, 3, 5, 7], .high),
        ([2, 4, 4.9], nil), ([1.5, 3, 4.5], nil), ([2, 5, 5], nil), ([5, 4, 8], nil), ([3, 8], nil), ([3, 7, 6, 8], nil),
    ])
    func pattern(scores: [Double], expected: Severity?) {
        #expect(evaluate(scores)?.severity == expected)
    }

    @Test(arguments: [(TimeInterval.hours(36), false), (.hours(36) - 1, true)])
    func lastScoresLieWithinSeventyTwoHours(spacing: TimeInterval, fires: Bool) {
        #expect((evaluate([3, 5, 7], spacing: spacing) != nil) == fires)
    }

    @Test func orderIsByEventTimeUpToTheEvent() throws {
        // 9 at +2 h arrived first; the late 5 at +1 h ends the run 1 → 3 → 5.
        let history = [Make.craving(1, at: -.hours(1)), Make.craving(3, at: 0), Make.craving(9, at: .hours(2))]
        let match = try #require(rule.evaluate(Make.craving(5, at: .hours(1)), after: history))
        #expect(match.severity == .medium)
        #expect(match.summary.hasPrefix("Craving rose over the last 3 scores within 72 h: 1 → 3 → 5, up 4"))
    }

    @Test func configured() throws {
        let configured = try RuleHarness("rising-craving", ["consecutiveScores": .number(4), "minimumRise": .number(4), "highThreshold": .number(9)])
        let events = [2.0, 3, 5, 8].enumerated().map { Make.craving($0.element, at: .hours(Double($0.offset))) }
        let match = try #require(configured.evaluate(events[3], after: Array(events[0...2])))
        #expect(match.severity == .medium)
        #expect(match.summary == "Craving rose over the last 4 scores within 72 h: 2 → 3 → 5 → 8, up 6 (threshold: up 4 to at least 5; high from 9)")
        #expect(configured.evaluate(events[3], after: Array(events[1...2])) == nil)
    }

    @Test func firesOnlyOnCravings() throws {
        let history = [Make.craving(3, at: 0), Make.craving(5, at: .hours(1)), Make.craving(7, at: .hours(2))]
        #expect(rule.evaluate(Make.checkin(Checkin(mood: 1), at: .hours(3)), after: history) == nil)
    }
}
