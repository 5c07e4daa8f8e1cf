import Foundation
import Testing
import VigilCore
import VigilRuleLanguage

/// A rule in `status: testing` runs in the engine in shadow mode: its matches are reported in `shadowMatches`, and
/// it never alerts, folds another rule or enters a cooldown.
@Suite struct ShadowModeTests {
    static let trial = RuleFiles.cravingRule(
        id: "craving-trial", extra: ["status: testing"], tier: ["severity: critical", "when: event.data.score >= 5", "summary: Trial"]
    )
    static let watch = RuleFiles.cravingRule(id: "craving-watch", tier: ["severity: medium", "when: event.data.score >= 5", "summary: Watch"])

    /// The shadow rule first and at a higher severity, so that it would win the fold if it took part.
    static func engine() throws -> RuleEngine {
        RuleEngine(rules: try RuleFiles.rules(RuleFiles.file(trial, watch)))
    }

    @Test func aMatchingShadowRuleIsReportedButTheProductionRuleAlertsAlone() throws {
        var state = PatientState()
        let event = Make.craving(7, id: "c1")
        let result = try Self.engine().process(event, state: &state, detectedAt: event.time + 30)
        #expect(result.shadowMatches == ["craving-trial"])
        let alert = try #require(result.alert)
        #expect(alert.rule == "craving-watch")
        #expect(alert.severity == .medium)
        #expect(alert.alsoMatched.isEmpty)
        #expect(result.suppressed.isEmpty)
    }

    @Test func aShadowRuleAloneRaisesNoAlert() throws {
        let engine = RuleEngine(rules: try RuleFiles.rules(RuleFiles.file(Self.trial)))
        var state = PatientState()
        let event = Make.craving(9, id: "c1")
        let result = engine.process(event, state: &state, detectedAt: event.time + 30)
        #expect(result.alert == nil)
        #expect(result.shadowMatches == ["craving-trial"])
        #expect(result.suppressed.isEmpty)
    }

    @Test func aShadowRuleEntersNoCooldownAndMatchesAgain() throws {
        let engine = try Self.engine()
        var state = PatientState()
        let first = Make.craving(7, id: "c1")
        _ = engine.process(first, state: &state, detectedAt: first.time + 30)
        #expect(state.cooldowns["craving-trial"] == nil)
        #expect(state.cooldowns["craving-watch"] != nil)

        let second = Make.craving(8, at: .minutes(10), id: "c2")
        let result = engine.process(second, state: &state, detectedAt: second.time + 30)
        #expect(result.alert == nil)
        #expect(result.shadowMatches == ["craving-trial"])
        #expect(result.suppressed == [.init(rule: "craving-watch", reason: .cooldown)])
    }

    @Test func aShadowRuleThatDoesNotMatchIsNotReported() throws {
        var state = PatientState()
        let event = Make.craving(3, id: "c1")
        let result = try Self.engine().process(event, state: &state, detectedAt: event.time + 30)
        #expect(result.shadowMatches.isEmpty)
        #expect(result.alert == nil)
    }
}
