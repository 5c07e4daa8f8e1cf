import Foundation
import Testing
import VigilCore

@Suite struct SuicidalIdeationRuleTests {
    @Test(arguments: [1, 2, 3])
    func anyPositiveAnswerIsCriticalWithoutCooldown(answer: Int) throws {
        let event = Make.checkin(Checkin(phq9Item9: answer), at: 0)
        let match = try #require(try RuleHarness("suicidal-ideation").evaluate(event))
        #expect(match.severity == .critical)
        #expect(match.cooldown == 0)
        #expect(match.summary == "PHQ-9 item 9 answered \(answer)/3 (thoughts of self-harm; threshold 1)")
        #expect(match.evidence == [Evidence(eventId: event.id, type: .checkin, time: event.time, field: "phq9Item9", value: .number(Double(answer)))])
    }

    @Test func notAtAllDoesNotFire() throws {
        let rule = try RuleHarness("suicidal-ideation")
        #expect(rule.evaluate(Make.checkin(Checkin(phq9Item9: 0), at: 0)) == nil)
        #expect(rule.evaluate(Make.checkin(Checkin(mood: 1), at: 0)) == nil)
        #expect(rule.evaluate(Make.craving(10, at: 0)) == nil)
    }

    @Test(arguments: [(1, false), (2, true), (3, true)])
    func configuredThreshold(answer: Int, fires: Bool) throws {
        let rule = try RuleHarness("suicidal-ideation", ["threshold": .number(2)])
        let match = rule.evaluate(Make.checkin(Checkin(phq9Item9: answer), at: 0))
        #expect((match != nil) == fires)
        if let match { #expect(match.summary == "PHQ-9 item 9 answered \(answer)/3 (thoughts of self-harm; threshold 2)") }
    }
}
