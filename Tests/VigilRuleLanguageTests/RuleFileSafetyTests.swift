import Foundation
import Testing
import VigilCore
@testable import VigilRuleLanguage
import Yams

/// What review found a rule file could do to the daemon, each pinned: no trap, no silent failure, no history
/// read without a declared lookback.
@Suite struct RuleFileSafetyTests {
    @Test func aDurationBeyondAHundredYearsIsRefusedNotOverflowed() {
        #expect(DurationText.seconds("9223372036854775807d") == nil)
        #expect(DurationText.seconds("36500d") == 3_153_600_000.0)
        let yaml = RuleFiles.file(RuleFiles.cravingRule(tier: ["severity: high", "when: event.data.score >= 8", "summary: \"{{ duration('9223372036854775807d') }}\""]))
        let diagnostics = RuleFiles.diagnostics(yaml)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("not a duration") == true)
    }

    @Test func printingAHugeSumOfDurationsDoesNotTrap() {
        #expect(DurationWords.text(1e300) == "1e+300 s")
        #expect(DurationText.text(.infinity) == "infs")
    }

    @Test func carriageReturnLineEndingsAndARepeatedKeyGiveAPositionNotATrap() {
        let yaml = "rules:\r  - id: a\r    id: b\r"
        let diagnostics = RuleFiles.diagnostics(yaml)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("given twice") == true)
        #expect(diagnostics.first.map { $0.line >= 2 } == true)
    }

    @Test func aYAMLErrorNeverQuotesTheLineItIsOn() {
        let text = "http:\n  adminToken: \"s3cret-token\n"
        let message = YAMLDocument.describe(YAMLError.make(text), file: "vigil.yaml")
        #expect(!message.contains("s3cret"))
        #expect(message.hasPrefix("vigil.yaml:"))
    }

    @Test func aConditionThatFailsToEvaluateIsReportedAsAFailureNotJustNoMatch() throws {
        let yaml = RuleFiles.file(RuleFiles.cravingRule(extra: ["lookback: duration('1d')"], tier: ["severity: high", "when: cravings.last(5)[4].data.score >= 8", "summary: five"]))
        let rules = try RuleFiles.rules(yaml)
        let event = Make.craving(9)
        var state = PatientState()
        let result = RuleEngine(rules: rules).process(event, state: &state, detectedAt: event.time)
        #expect(result.alert == nil)
        #expect(result.ruleFailures == ["craving-high"])
    }

    @Test func readingAHistoryWithoutAWindowNeedsADeclaredLookback() {
        let withoutLookback = RuleFiles.file(RuleFiles.cravingRule(tier: ["severity: high", "when: size(cravings.last(3)) == 3", "summary: three"]))
        #expect(RuleFiles.diagnostics(withoutLookback).map(\.message).contains { $0.contains("declare lookback") })
        let windowed = RuleFiles.file(RuleFiles.cravingRule(tier: ["severity: high", "when: size(cravings.window(duration('3d'))) == 3", "summary: three"]))
        #expect(RuleFiles.diagnostics(windowed).isEmpty)
        let declared = RuleFiles.file(RuleFiles.cravingRule(extra: ["lookback: duration('3d')"], tier: ["severity: high", "when: size(cravings.last(3)) == 3", "summary: three"]))
        #expect(RuleFiles.diagnostics(declared).isEmpty)
    }
}

/// A Yams error for `text`, to check how errors are described.
enum YAMLError {
    static func make(_ text: String) -> any Error {
        do {
            _ = try Yams.compose(yaml: text)
            return CancellationError()
        } catch {
            return error
        }
    }
}

@Suite("Rule-test files: hostile YAML")
struct RuleTestFileSafetyTests {
    /// The configuration file's fuzz target found that Yams traps on a non-scalar mapping key when converting a tree;
    /// a rule-test event's `data` is converted the same way.
    @Test("an event whose data has a list as a key is a reported problem, not a crash")
    func complexKeyInData() {
        let text = """
            rules: catalogue.yaml
            start: 2026-03-02T08:00:00Z
            tests:
              - name: complex key
                events:
                  - at: 0h
                    patient: P-1
                    type: care.checkin.v1
                    data:
                      ? [helpRequested]
                      : true
                alerts: []
            """
        guard case .failure(let errors) = RuleTestFile.parse(text, file: "t.test.yaml") else {
            Issue.record("a data mapping with a list as a key was accepted")
            return
        }
        #expect(errors.description.contains("data must be a mapping"))
    }
}
