import Foundation
import Testing
import VigilCore

@Suite struct CueExposureRuleTests {
    let rule: RuleHarness

    init() throws { rule = try RuleHarness("cue-exposure") }

    static let cue = Checkin(cueExposure: true)

    @Test func cravingAfterACueIsMedium() throws {
        let cue = Make.checkin(Self.cue, at: 0)
        let craving = Make.craving(5, at: .hours(6))
        let match = try #require(rule.evaluate(craving, after: [cue]))
        #expect(match.severity == .medium)
        #expect(match.cooldown == .hours(24))
        #expect(match.summary == "Craving 5/10 after a reported cue exposure, within 6 h (threshold 5)")
        #expect(match.evidence == [
            Evidence(eventId: cue.id, type: .checkin, time: cue.time, field: "cueExposure", value: .bool(true)),
            Evidence(eventId: craving.id, type: .craving, time: craving.time, field: "score", value: .number(5)),
        ])
    }

    @Test func aCueAfterACravingIsMedium() throws {
        let craving = Make.craving(7, at: -.hours(6))
        let cue = Make.checkin(Self.cue, at: 0)
        let match = try #require(rule.evaluate(cue, after: [craving]))
        #expect(match.summary == "Craving 7/10 before a reported cue exposure, within 6 h (threshold 5)")
        #expect(match.evidence.map(\.eventId) == [craving.id, cue.id])
    }

    @Test(arguments: [
        (TimeInterval.hours(6), 5.0, true), (.hours(6) + 1, 5, false), (-.hours(6), 5, true), (-.hours(6) - 1, 5, false), (.hours(1), 4.9, false),
    ])
    func aroundTheThresholds(cravingOffset: TimeInterval, score: Double, fires: Bool) {
        // Whichever of the pair arrives last triggers it, so both orders must agree.
        let cue = Make.checkin(Self.cue, at: 0)
        let craving = Make.craving(score, at: cravingOffset)
        #expect((rule.evaluate(craving, after: [cue]) != nil) == fires)
        #expect((rule.evaluate(cue, after: [craving]) != nil) == fires)
    }

    @Test func noCueNoAlert() throws {
        #expect(rule.evaluate(Make.craving(9, at: .hours(1)), after: [Make.checkin(Checkin(cueExposure: false), at: 0)]) == nil)
        #expect(rule.evaluate(Make.checkin(Checkin(cueExposure: false), at: 0), after: [Make.craving(9, at: .hours(1))]) == nil)
        #expect(rule.evaluate(Make.checkin(Self.cue, at: 0)) == nil)
    }

    @Test func configured() throws {
        let configured = try RuleHarness("cue-exposure", ["cravingThreshold": .number(7), "window": .string("2h")])
        let cue = Make.checkin(Self.cue, at: 0)
        #expect(configured.evaluate(Make.craving(7, at: .hours(3)), after: [cue]) == nil)
        #expect(configured.evaluate(Make.craving(6, at: .hours(1)), after: [cue]) == nil)
        #expect(configured.evaluate(Make.craving(7, at: .hours(2)), after: [cue])?.summary == "Craving 7/10 after a reported cue exposure, within 2 h (threshold 7)")
    }
}
