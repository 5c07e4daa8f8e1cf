import Foundation
import Testing
import VigilCore
import VigilRuleLanguage

/// Rule files' problems: every one is reported, each as `FILE:LINE:COLUMN: message` at the text it is about.
@Suite struct RuleFileTests {
    /// A craving rule whose one tier is `severity: high`, then `lines` (its `when` and `summary`, as written).
    static func tier(_ lines: [String]) -> String {
        RuleFiles.file(RuleFiles.cravingRule(tier: ["severity: high"] + lines))
    }

    @Test func aValidFileLoadsItsRulesWithWhereEachWasDeclared() throws {
        let yaml = RuleFiles.file(RuleFiles.cravingRule(id: "one"), RuleFiles.cravingRule(id: "two"))
        let definitions = try RuleFiles.parse(yaml).get()
        #expect(definitions.map(\.id) == ["one", "two"])
        #expect(definitions.map(\.source) == ["rules.yaml:2", "rules.yaml:\(RuleFiles.location(of: "id: two", in: yaml).line)"])
    }

    @Test func anUnknownKeyInARuleIsReportedAtTheKey() throws {
        let yaml = RuleFiles.file(RuleFiles.cravingRule(extra: ["colour: red"]))
        expectProblem("unknown key colour in a rule", at: "colour", in: yaml)
        #expect(RuleFiles.diagnostics(yaml).first?.description.hasPrefix("rules.yaml:7:5: unknown key colour in a rule; expected one of ") == true)
    }

    @Test func eachMissingRequiredKeyIsReportedAtTheRule() throws {
        // The tier of a valid rule, without the rule's version, description, on and cooldown.
        let tier = RuleFiles.cravingRule().drop(while: { $0 != "tiers:" })
        let yaml = RuleFiles.file(["id: craving-high"] + tier)
        let diagnostics = RuleFiles.diagnostics(yaml)
        #expect(diagnostics.map(\.message) == ["a rule needs version", "a rule needs description", "a rule needs on", "a rule needs cooldown"])
        let rule = RuleFiles.location(of: "id: craving-high", in: yaml)
        #expect(diagnostics.allSatisfy { $0.line == rule.line && $0.column == rule.column })
    }

    @Test func aTierMissingItsSummaryIsReportedAtTheTier() throws {
        let yaml = RuleFiles.file(RuleFiles.cravingRule(tier: ["severity: high", "when: event.data.score >= 8"]))
        expectProblem("a tier needs severity, when and summary", at: "severity: high", in: yaml)
    }

    @Test func anUnknownSeverityIsReportedAtItsValue() throws {
        let yaml = RuleFiles.file(RuleFiles.cravingRule(tier: ["severity: urgent", "when: event.data.score >= 8", "summary: High craving"]))
        expectProblem("severity must be one of low, medium, high, critical", at: "urgent", in: yaml)
    }

    // MARK: Expression problems inside scalars

    static let typeError = "'>=' does not apply to number and string"

    @Test func aTypeErrorInAPlainScalarIsReportedAtItsOperator() throws {
        expectProblem(Self.typeError, at: ">= 'high'", in: Self.tier(["when: event.data.score >= 'high'", "summary: High craving"]))
    }

    @Test func aTypeErrorInADoubleQuotedScalarCountsTheQuote() throws {
        expectProblem(Self.typeError, at: ">= 'high'", in: Self.tier(["when: \"event.data.score >= 'high'\"", "summary: High craving"]))
    }

    @Test func aTypeErrorAfterAnEscapeInADoubleQuotedScalarCountsTheEscapesCharacters() throws {
        let when = #"when: "event.data.substance == \"x\" || event.data.score >= 'high'""#
        expectProblem(Self.typeError, at: ">= 'high'", in: Self.tier([when, "summary: High craving"]))
    }

    @Test func aTypeErrorInASingleQuotedScalarWithDoubledQuotesIsReportedAtItsOperator() throws {
        expectProblem(Self.typeError, at: ">= ''high''", in: Self.tier(["when: 'event.data.score >= ''high'''", "summary: High craving"]))
    }

    @Test func aTypeErrorInALiteralBlockIsReportedOnItsLine() throws {
        let yaml = Self.tier(["when: |", "  event.data.score >= 8 &&", "  event.data.score >= 'high'", "summary: High craving"])
        expectProblem(Self.typeError, at: ">= 'high'", in: yaml)
    }

    @Test func aTypeErrorOnAMoreIndentedLineOfALiteralBlockIsReportedAtItsOperator() throws {
        let yaml = Self.tier(["when: |", "  event.data.score >= 8", "    && event.data.score >= 'high'", "summary: High craving"])
        expectProblem(Self.typeError, at: ">= 'high'", in: yaml)
    }

    @Test func aTypeErrorOnTheSecondLineOfAPlainScalarIsReportedOnThatLine() throws {
        let yaml = Self.tier(["when: event.data.score >= 8", "  && event.data.score >= 'high'", "summary: High craving"])
        expectProblem(Self.typeError, at: ">= 'high'", in: yaml)
    }

    @Test func aProblemInATemplateHoleIsReportedInsideTheHole() throws {
        let yaml = Self.tier(["when: event.data.score >= 8", "summary: Craving {{ event.data.mood }}/10"])
        expectProblem("data of craving has no field mood", at: ".mood }}", in: yaml)
    }

    @Test func anUnclosedTemplateHoleIsReportedAtItsBraces() throws {
        let yaml = Self.tier(["when: event.data.score >= 8", "summary: Craving {{ event.data.score"])
        expectProblem("'{{' without its '}}'", at: "{{", in: yaml)
    }

    // MARK: Parameters, rules and files

    @Test func aParameterDefaultOutsideItsRangeIsReportedAtTheDefault() throws {
        let yaml = RuleFiles.file(RuleFiles.cravingRule(extra: ["parameters:", "  threshold: {type: number, default: 12, min: 0, max: 10}"]))
        expectProblem("the default lies outside min and max", at: "12, min", in: yaml)
    }

    @Test func aRuleIdDeclaredTwiceIsReportedAtTheSecondRule() throws {
        let yaml = RuleFiles.file(RuleFiles.cravingRule(id: "twin"), RuleFiles.cravingRule(id: "twin"))
        expectProblem("rule twin is declared twice", at: "id: twin", occurrence: 2, in: yaml)
    }

    @Test func everyProblemOfAFileIsReportedNotOnlyTheFirst() throws {
        let yaml = RuleFiles.file(
            RuleFiles.cravingRule(id: "first", extra: ["colour: red"]),
            RuleFiles.cravingRule(id: "second", tier: ["severity: urgent", "when: event.data.score >= 8", "summary: High craving"]),
            RuleFiles.cravingRule(id: "third", tier: ["severity: high", "when: event.data.score >= 'high'", "summary: High craving"])
        )
        let expected = ["colour", "urgent", ">= 'high'"].map { RuleFiles.location(of: $0, in: yaml) }
        #expect(RuleFiles.diagnostics(yaml).map { [$0.line, $0.column] } == expected.map { [$0.line, $0.column] })
    }

    @Test func invalidYAMLIsReportedWhereTheParserStopped() throws {
        let diagnostics = RuleFiles.diagnostics("rules:\n\t- id: craving-high\n")
        try #require(diagnostics.count == 1)
        #expect(diagnostics[0].line == 2)
        #expect(diagnostics[0].column == 1)
        #expect(diagnostics[0].message.hasPrefix("not valid YAML: "))
    }

    @Test func aKeyGivenTwiceIsReportedAtTheKeyInOneLine() throws {
        let yaml = Self.tier(["when: event.data.score >= 8", "when: event.data.score >= 9", "summary: High craving"])
        let diagnostics = RuleFiles.diagnostics(yaml)
        try #require(diagnostics.count == 1)
        let lines = [RuleFiles.location(of: "when:", in: yaml).line, RuleFiles.location(of: "when:", occurrence: 2, in: yaml).line]
        #expect(lines.contains(diagnostics[0].line), "\(diagnostics[0])")
        #expect(!diagnostics[0].message.contains("\n"), "a diagnostic is one line: \(diagnostics[0].message)")
    }

    @Test func aRuleDeclaredInTwoFilesIsReportedAtTheSecondDeclaration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rule-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Rules listed without indentation under `rules:`: each rule's mapping starts in column 3.
        let yaml = RuleFiles.file(RuleFiles.cravingRule(id: "twin"), entry: "- ")
        let first = directory.appendingPathComponent("a.yaml").path
        let second = directory.appendingPathComponent("b.yaml").path
        try yaml.write(toFile: first, atomically: true, encoding: .utf8)
        try yaml.write(toFile: second, atomically: true, encoding: .utf8)

        guard case .failure(let errors) = FileRuleModule.load(paths: [first, second]) else {
            Issue.record("the same rule id in two files must not load")
            return
        }
        let rule = RuleFiles.location(of: "id: twin", in: yaml)
        #expect(errors.diagnostics.map(\.description) == ["\(second):\(rule.line):\(rule.column): rule twin is already declared at \(first):2"])
    }
}
