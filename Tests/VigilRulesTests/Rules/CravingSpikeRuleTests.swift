import Foundation
import Testing
import VigilCore

@Suite struct CravingSpikeRuleTests {
    let rule: RuleHarness

    init() throws { rule = try RuleHarness("craving-spike") }

    /// Cravings one hour apart, ending an hour before the event at time 0.
    static func baseline(_ scores: [Double]) -> [PatientEvent] {
        scores.enumerated().map { Make.craving($0.element, at: .hours(Double($0.offset - scores.count))) }
    }

    @Test(arguments: [(7.9, nil), (8.0, Severity.high), (9.0, .high), (10.0, .high)])
    func highThreshold(score: Double, expected: Severity?) throws {
        let match = rule.evaluate(Make.craving(score, at: 0))
        #expect(match?.severity == expected)
        if let match {
            #expect(match.summary == "Craving \(score.compact)/10 (threshold 8)")
            #expect(match.cooldown == .hours(24))
        }
    }

    @Test func aboveBaselineIsMedium() throws {
        let event = Make.craving(6, at: 0)
        let match = try #require(rule.evaluate(event, after: Self.baseline([3, 3, 3, 3, 3])))
        #expect(match.severity == .medium)
        #expect(match.summary == "Craving 6/10, 3 above the patient's 14-day baseline of 3 (threshold: baseline + 3, at least 5)")
        #expect(match.evidence == [Evidence(eventId: event.id, type: .craving, time: event.time, field: "score", value: .number(6))])
    }

    @Test(arguments: [(5.9, [3.0, 3, 3, 3, 3], false), (6, [3, 3, 3, 3, 3], true), (4, [1, 1, 1, 1, 1], false), (5, [1, 1, 1, 1, 1], true)])
    func aroundTheMediumThresholds(score: Double, baseline: [Double], fires: Bool) throws {
        #expect(rule.evaluate(Make.craving(score, at: 0), after: Self.baseline(baseline))?.severity == (fires ? .medium : nil))
    }

    @Test func baselineIsTheMedianNotTheMean() throws {
        // Median 0, mean 3.6: 5 is 5 above the median.
        let match = try #require(rule.evaluate(Make.craving(5, at: 0), after: Self.baseline([0, 9, 0, 9, 0])))
        #expect(match.summary == "Craving 5/10, 5 above the patient's 14-day baseline of 0 (threshold: baseline + 3, at least 5)")
    }

    @Test(arguments: [
        ([5.0, 1, 1, 5, 3, 3, 3], 3.0), ([0.0, 10, 0, 10, 0, 10], 5), ([2.0, 2, 2, 9, 9, 9, 1, 8], 5.0), ([4.0, 4, 4, 4, 4], 4.0),
        ([7.0, 1, 6, 2, 5, 3, 4, 0, 8], 4.0), ([9.0, 8, 7, 6, 5, 4], 6.5),
    ] as [([Double], Double)])
    func baselineIsTheMedianOfAnyOrder(scores: [Double], median: Double) throws {
        let configured = try RuleHarness("craving-spike", ["highThreshold": .number(10), "riseAboveBaseline": .number(0.5), "mediumFloor": .number(0)])
        let match = try #require(configured.evaluate(Make.craving(9.5, at: 0), after: Self.baseline(scores)))
        #expect(match.summary == "Craving 9.5/10, \((9.5 - median).compact) above the patient's 14-day baseline of \(median.compact) (threshold: baseline + 0.5, at least 0)")
    }

    @Test func evenCountMedianIsTheMeanOfTheMiddleTwo() throws {
        let history = Self.baseline([6, 1, 5, 2, 4, 3])
        #expect(rule.evaluate(Make.craving(6, at: 0), after: history) == nil)
        let match = try #require(rule.evaluate(Make.craving(7, at: 0), after: history))
        #expect(match.summary == "Craving 7/10, 3.5 above the patient's 14-day baseline of 3.5 (threshold: baseline + 3, at least 5)")
    }

    @Test func baselineNeedsFiveEarlierScores() throws {
        #expect(rule.evaluate(Make.craving(7, at: 0), after: Self.baseline([2, 2, 2, 2])) == nil)
    }

    @Test func baselineExcludesTheEventAndScoresAtTheSameInstant() throws {
        let sameInstant = Make.craving(2, at: 0)
        #expect(rule.evaluate(Make.craving(7, at: 0), after: Self.baseline([2, 2, 2, 2]) + [sameInstant]) == nil)
    }

    @Test(arguments: [(TimeInterval.days(14), false), (.days(14) - 1, true)])
    func baselineWindowIsFourteenDaysBefore(age: TimeInterval, fires: Bool) throws {
        let history = [Make.craving(2, at: -age)] + Self.baseline([2, 2, 2, 2])
        #expect((rule.evaluate(Make.craving(6, at: 0), after: history) != nil) == fires)
    }

    @Test func baselineUsesEventTimeNotArrival() throws {
        // Five low scores before the event, and later ones (in event time) that arrived first: only the earlier count.
        let later = [Make.craving(7, at: .hours(1)), Make.craving(7, at: .hours(2)), Make.craving(7, at: .hours(3))]
        let match = try #require(rule.evaluate(Make.craving(6, at: 0), after: later + Self.baseline([2, 3, 3, 3, 4])))
        #expect(match.summary == "Craving 6/10, 3 above the patient's 14-day baseline of 3 (threshold: baseline + 3, at least 5)")
        // With the event placed before most of the low scores, too few remain before it.
        #expect(rule.evaluate(Make.craving(6, at: .hours(-3.5)), after: Self.baseline([2, 3, 3, 3, 4])) == nil)
    }

    @Test func configuredHighThreshold() throws {
        let configured = try RuleHarness("craving-spike", ["highThreshold": .number(9)])
        #expect(configured.evaluate(Make.craving(8, at: 0)) == nil)
        #expect(configured.evaluate(Make.craving(9, at: 0))?.summary == "Craving 9/10 (threshold 9)")
    }

    @Test func configuredBaseline() throws {
        let configured = try RuleHarness("craving-spike", [
            "riseAboveBaseline": .number(2), "mediumFloor": .number(4), "minimumBaselineScores": .number(3), "baselineWindow": .string("7d"),
        ])
        let match = try #require(configured.evaluate(Make.craving(4, at: 0), after: Self.baseline([2, 2, 2])))
        #expect(match.summary == "Craving 4/10, 2 above the patient's 7-day baseline of 2 (threshold: baseline + 2, at least 4)")
    }

    @Test func firesOnlyOnCravings() throws {
        #expect(rule.evaluate(Make.checkin(Checkin(stress: 10), at: 0), after: [Make.craving(9, at: -60)]) == nil)
    }
}
