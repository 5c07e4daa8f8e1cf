import Foundation
import Testing
import VigilCore
import VigilRuleLanguage

/// Rules from a file, configured from `rules.<id>` settings through `FileRuleModule` as the daemon does, and what
/// their matches carry.
@Suite struct RuleFileConfigurationTests {
    static let yaml = """
        rules:
          - id: craving-high
            version: 2
            description: A craving at or above the threshold, or above the floor.
            on: [care.craving.v1]
            cooldown: 6h
            parameters:
              threshold: {type: number, default: 8, min: 0, max: 10, description: The score that is high}
              floor: {type: number, default: 5, min: 0, max: 10, description: The score that is medium}
              window: {type: duration, default: 24h, min: 1h, max: 7d, description: How far back recent cravings reach}
            checks:
              - {when: params.floor <= params.threshold, parameter: floor, message: must not exceed threshold}
            let:
              recent: cravings.window(params.window)
              earlier: cravings.before(duration('2d'))
            tiers:
              - severity: high
                when: event.data.score >= params.threshold
                summary: "Craving {{ event.data.score }}/10 (threshold {{ params.threshold }})"
                action: Call the patient today
                evidence:
                  - {of: event, field: score}
              - severity: medium
                when: event.data.score >= params.floor
                summary: "Craving {{ event.data.score }}/10, {{ size(recent) }} within {{ params.window }}"
                evidence:
                  - {of: recent, field: score, when: size(recent) > 1}
          - id: craving-any
            version: 1
            description: Any craving.
            on: [care.craving.v1]
            cooldown: 0s
            lookback: duration('30d')
            tiers:
              - severity: low
                when: "true"
                summary: A craving
        """

    static func rule(_ id: String, _ values: [String: RuleSettings.Value] = [:]) throws -> any Rule {
        try #require(try RuleFiles.rules(yaml, [id: values]).first(where: { $0.id == id }))
    }

    /// The match of `rule` for `event`, recorded after `earlier`.
    static func evaluate(_ rule: any Rule, _ event: PatientEvent, after earlier: [PatientEvent] = []) -> RuleMatch? {
        rule.evaluate(event, history: Make.history(earlier + [event]))
    }

    @Test func theFirstTierThatHoldsMatchesWithItsSummaryActionCooldownAndEvidence() throws {
        let event = Make.craving(8, id: "c1")
        let match = try #require(Self.evaluate(try Self.rule("craving-high"), event))
        #expect(match.severity == .high)
        #expect(match.summary == "Craving 8/10 (threshold 8)")
        #expect(match.recommendedAction == "Call the patient today")
        #expect(match.cooldown == .hours(6))
        #expect(match.evidence == [Evidence(eventId: "c1", type: .craving, time: event.time, field: "score", value: .number(8))])
    }

    @Test func aTierWithoutAnActionLeavesTheSeveritysStandardAction() throws {
        let match = try #require(Self.evaluate(try Self.rule("craving-high"), Make.craving(6)))
        #expect(match.severity == .medium)
        #expect(match.recommendedAction == nil)
    }

    @Test func anEvidenceEntryGivesTheFieldOfEachSelectedRecord() throws {
        let earlier = Make.craving(3, at: -.hours(2), id: "c0")
        let event = Make.craving(6, id: "c1")
        let match = try #require(Self.evaluate(try Self.rule("craving-high"), event, after: [earlier]))
        #expect(match.summary == "Craving 6/10, 2 within 24 h")
        #expect(match.evidence == [
            Evidence(eventId: "c0", type: .craving, time: earlier.time, field: "score", value: .number(3)),
            Evidence(eventId: "c1", type: .craving, time: event.time, field: "score", value: .number(6)),
        ])
    }

    @Test func anEvidenceEntryWhoseConditionFailsGivesNothing() throws {
        let match = try #require(Self.evaluate(try Self.rule("craving-high"), Make.craving(6)))
        #expect(match.summary == "Craving 6/10, 1 within 24 h")
        #expect(match.evidence.isEmpty)
    }

    @Test func configuredValuesReplaceTheDefaults() throws {
        let match = try #require(Self.evaluate(try Self.rule("craving-high", ["threshold": .number(6)]), Make.craving(6)))
        #expect(match.severity == .high)
        #expect(match.summary == "Craving 6/10 (threshold 6)")
    }

    @Test func aDurationIsConfiguredAsText() throws {
        let rule = try Self.rule("craving-high", ["window": .string("1h")])
        let match = try #require(Self.evaluate(rule, Make.craving(6), after: [Make.craving(3, at: -.hours(2), id: "c0")]))
        #expect(match.summary == "Craving 6/10, 1 within 1 h")
    }

    @Test func valuesOutOfRangeAreRefused() throws {
        let number = try #require(try RuleFiles.configurationError(Self.yaml, ["craving-high": ["threshold": .number(11)]]))
        #expect(number == RuleConfigurationError(rule: "craving-high", parameter: "threshold", reason: "must be a number from 0 to 10"))
        let duration = try #require(try RuleFiles.configurationError(Self.yaml, ["craving-high": ["window": .string("30d")]]))
        #expect(duration.parameter == "window")
        #expect(duration.reason.contains("from 1h to 7d"))
    }

    @Test func anUnknownParameterIsRefused() throws {
        let error = try RuleFiles.configurationError(Self.yaml, ["craving-high": ["thresold": .number(6)]])
        #expect(error == RuleConfigurationError(rule: "craving-high", parameter: "thresold", reason: "unknown parameter"))
    }

    @Test func checksRefuseValuesThatContradictEachOther() throws {
        let error = try RuleFiles.configurationError(Self.yaml, ["craving-high": ["floor": .number(9)]])
        #expect(error == RuleConfigurationError(rule: "craving-high", parameter: "floor", reason: "must not exceed threshold"))
        #expect(try RuleFiles.configurationError(Self.yaml, ["craving-high": ["floor": .number(9), "threshold": .number(9)]]) == nil)
    }

    @Test func aDisabledRuleIsDroppedButItsSettingsAreStillChecked() throws {
        #expect(try RuleFiles.rules(Self.yaml, ["craving-high": ["enabled": .bool(false)]]).map { $0.id } == ["craving-any"])
        let error = try RuleFiles.configurationError(Self.yaml, ["craving-high": ["enabled": .bool(false), "threshold": .number(11)]])
        #expect(error?.parameter == "threshold")
    }

    @Test func aRuleInTestingIsAShadowRule() throws {
        let testing = RuleFiles.file(RuleFiles.cravingRule(extra: ["status: testing"]))
        #expect(try RuleFiles.rules(testing).map { $0.isShadow } == [true])
        #expect(try RuleFiles.rules(RuleFiles.file(RuleFiles.cravingRule())).map { $0.isShadow } == [false])
        expectProblem("status must be production or testing", at: "shadow", in: RuleFiles.file(RuleFiles.cravingRule(extra: ["status: shadow"])))
    }

    @Test func aSummaryThatCannotBeWrittenStillGivesTheMatch() throws {
        let summary = "summary: \"Highest before: {{ cravings.before(duration('1d')).map(c, c.data.score).max() }}\""
        let yaml = RuleFiles.file(RuleFiles.cravingRule(id: "craving-unwritten", tier: ["severity: high", "when: event.data.score >= 8", summary]))
        let rule = try #require(try RuleFiles.rules(yaml).first)

        let alone = try #require(Self.evaluate(rule, Make.craving(9)))
        #expect(alone.severity == .high)
        #expect(alone.summary == "craving-unwritten matched at high (its summary could not be written for this event)")
        let withEarlier = try #require(Self.evaluate(rule, Make.craving(9), after: [Make.craving(3, at: -.hours(1), id: "c0")]))
        #expect(withEarlier.summary == "Highest before: 3")
    }

    @Test func theLookbackIsTheLargestWindowOrTheDeclaredLookback() throws {
        // craving-high reads params.window (24h by default) and a 2-day window; craving-any declares 30 days.
        #expect(try Self.rule("craving-high").lookback == .days(2))
        #expect(try Self.rule("craving-high", ["window": .string("5d")]).lookback == .days(5))
        #expect(try Self.rule("craving-any").lookback == .days(30))
    }
}
