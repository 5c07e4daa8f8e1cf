import Foundation
import Testing
import VigilCore

@Suite struct CombinedRiskRuleTests {
    let rule: RuleHarness

    init() throws { rule = try RuleHarness("combined-risk") }

    @Test func allThreeFactorsAreHigh() throws {
        let craving = Make.craving(6, at: 0)
        let mood = Make.checkin(Checkin(mood: 3), at: .hours(1))
        let sleep = Make.checkin(Checkin(sleepHours: 4.9), at: .hours(2))
        let match = try #require(rule.evaluate(sleep, after: [craving, mood]))
        #expect(match.severity == .high)
        #expect(match.cooldown == .hours(24))
        #expect(match.summary == "3 of 3 risk factors within 24 h: craving 6/10 (threshold 6), mood 3/10 (threshold 3 or lower), sleep 4.9 h (threshold under 5 h)")
        #expect(match.evidence == [
            Evidence(eventId: craving.id, type: .craving, time: craving.time, field: "score", value: .number(6)),
            Evidence(eventId: mood.id, type: .checkin, time: mood.time, field: "mood", value: .number(3)),
            Evidence(eventId: sleep.id, type: .checkin, time: sleep.time, field: "sleepHours", value: .number(4.9)),
        ])
    }

    @Test func aCravingCanCompleteThePattern() throws {
        let history = [Make.checkin(Checkin(stress: 7, sleepHours: 3), at: 0)]
        let match = try #require(rule.evaluate(Make.craving(8, at: .hours(5)), after: history))
        #expect(match.summary == "3 of 3 risk factors within 24 h: craving 8/10 (threshold 6), stress 7/10 (threshold 7), sleep 3 h (threshold under 5 h)")
    }

    @Test(arguments: [
        // (craving, mood, stress, sleep) just at or just missing each threshold
        (6.0, 3, 5, 5.0, Severity.medium), (6, 4, 7, 6, .medium), (5.9, 3, 5, 4.9, .medium),
        (6, 3, 7, 4.9, .high), (6, 4, 6, 5, nil), (5.9, 4, 6, 4.9, nil), (5.9, 3, 7, 5, nil), (5, 2, 8, 4, .medium),
    ])
    func factorThresholds(craving: Double, mood: Int, stress: Int, sleep: Double, expected: Severity?) throws {
        let history = [Make.craving(craving, at: 0)]
        let event = Make.checkin(Checkin(mood: mood, stress: stress, sleepHours: sleep), at: .hours(1))
        #expect(rule.evaluate(event, after: history)?.severity == expected)
    }

    @Test func twoFactorsSummaryNamesThem() throws {
        let match = try #require(rule.evaluate(Make.checkin(Checkin(stress: 9), at: .hours(3)), after: [Make.craving(7, at: 0)]))
        #expect(match.severity == .medium)
        #expect(match.summary == "2 of 3 risk factors within 24 h: craving 7/10 (threshold 6), stress 9/10 (threshold 7)")
    }

    @Test(arguments: [(TimeInterval.hours(24), false), (.hours(24) - 1, true)])
    func windowIsTwentyFourHoursOfEventTime(age: TimeInterval, fires: Bool) throws {
        let match = rule.evaluate(Make.checkin(Checkin(mood: 1), at: age), after: [Make.craving(9, at: 0)])
        #expect((match != nil) == fires)
    }

    @Test func theMostExtremeValuesInTheWindowAreShown() throws {
        let worst = Make.craving(9, at: .hours(1))
        let history = [Make.craving(7, at: 0), worst, Make.craving(6, at: .hours(2)), Make.checkin(Checkin(sleepHours: 4), at: .hours(3))]
        let match = try #require(rule.evaluate(Make.checkin(Checkin(sleepHours: 2), at: .hours(4)), after: history))
        #expect(match.summary == "2 of 3 risk factors within 24 h: craving 9/10 (threshold 6), sleep 2 h (threshold under 5 h)")
        #expect(match.evidence.first?.eventId == worst.id)
    }

    @Test func anEventThatMeetsNoFactorDoesNotTrigger() throws {
        let history = [Make.craving(7, at: 0), Make.checkin(Checkin(mood: 2), at: .hours(1))]
        #expect(rule.evaluate(Make.checkin(Checkin(mood: 6, helpRequested: true), at: .hours(2)), after: history) == nil)
        #expect(rule.evaluate(Make.craving(5, at: .hours(2)), after: history) == nil)
        #expect(rule.evaluate(Make.appointment(.missed, at: .hours(2)), after: history) == nil)
    }

    @Test func laterEventsInEventTimeAreOutsideTheWindow() throws {
        #expect(rule.evaluate(Make.checkin(Checkin(mood: 1), at: 0), after: [Make.craving(9, at: .hours(1))]) == nil)
    }

    @Test func configuredThresholds() throws {
        let configured = try RuleHarness("combined-risk", ["cravingThreshold": .number(8), "shortSleepHours": .number(6), "window": .string("12h")])
        #expect(configured.evaluate(Make.checkin(Checkin(sleepHours: 5.5), at: .hours(1)), after: [Make.craving(7, at: 0)]) == nil)
        let match = try #require(configured.evaluate(Make.checkin(Checkin(sleepHours: 5.5), at: .hours(1)), after: [Make.craving(8, at: 0)]))
        #expect(match.summary == "2 of 3 risk factors within 12 h: craving 8/10 (threshold 8), sleep 5.5 h (threshold under 6 h)")
    }
}
