import Foundation
import Testing
import VigilCore
import VigilRuleLanguage

/// Rule files written line by line, so that a test can say where a problem must be reported by naming the text
/// it must point at.
enum RuleFiles {
    static let name = "rules.yaml"

    /// `rules:` and each rule's lines: the first after `entry` (`  - `), the others indented to match it.
    static func file(_ rules: [String]..., entry: String = "  - ") -> String {
        var lines = ["rules:"]
        let indentation = String(repeating: " ", count: entry.count)
        for rule in rules {
            for (index, line) in rule.enumerated() { lines.append((index == 0 ? entry : indentation) + line) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The lines of a valid rule on cravings, with `extra` keys before its tiers and `tier` as its one tier (the
    /// first line after `- `, the others under it).
    static func cravingRule(
        id: String = "craving-high", extra: [String] = [],
        tier: [String] = ["severity: high", "when: event.data.score >= 8", "summary: High craving"]
    ) -> [String] {
        var lines = ["id: \(id)", "version: 1", "description: A high craving", "on: [care.craving.v1]", "cooldown: 1h"]
        lines += extra
        lines.append("tiers:")
        for (index, line) in tier.enumerated() { lines.append((index == 0 ? "  - " : "    ") + line) }
        return lines
    }

    static func parse(_ yaml: String) -> Result<[RuleDefinition], RuleFileErrors> {
        RuleFileParser.parse(yaml, file: name)
    }

    /// Every problem of `yaml`; none when it loads.
    static func diagnostics(_ yaml: String) -> [RuleFileDiagnostic] {
        switch parse(yaml) {
        case .success: []
        case .failure(let errors): errors.diagnostics
        }
    }

    /// The rules of `yaml`, configured through a module from `settings` (keyed by rule id), as the daemon does.
    static func rules(_ yaml: String, _ settings: [String: [String: RuleSettings.Value]] = [:]) throws -> [any Rule] {
        var configured: [String: RuleSettings] = [:]
        for (id, values) in settings { configured[id] = RuleSettings(rule: id, values: values) }
        return try FileRuleModule(try parse(yaml).get()).makeRules(settings: configured)
    }

    /// Why `settings` cannot configure the rules of `yaml`, or nil when they can.
    static func configurationError(_ yaml: String, _ settings: [String: [String: RuleSettings.Value]]) throws -> RuleConfigurationError? {
        do {
            _ = try rules(yaml, settings)
            return nil
        } catch let error as RuleConfigurationError {
            return error
        }
    }

    /// The line and column (from 1, columns in Unicode scalars as libyaml counts them) of the `occurrence`-th
    /// `needle` in `text`; a needle never spans lines.
    static func location(of needle: String, occurrence: Int = 1, in text: String) -> (line: Int, column: Int) {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var searchFrom = line.startIndex
            while let range = line.range(of: needle, range: searchFrom..<line.endIndex) {
                seen += 1
                if seen == occurrence { return (index + 1, line.unicodeScalars.distance(from: line.startIndex, to: range.lowerBound) + 1) }
                searchFrom = range.upperBound
            }
        }
        Issue.record("\(needle) does not occur \(occurrence) times in the file")
        return (0, 0)
    }
}

/// Expects exactly one problem of `yaml` whose message contains `message`, at the `occurrence`-th `needle`.
func expectProblem(
    _ message: String, at needle: String, occurrence: Int = 1, in yaml: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let diagnostics = RuleFiles.diagnostics(yaml)
    let matching = diagnostics.filter { $0.message.contains(message) }
    guard matching.count == 1, let diagnostic = matching.first else {
        Issue.record("expected one problem with \"\(message)\", got:\n\(RuleFileErrors(diagnostics))", sourceLocation: sourceLocation)
        return
    }
    let expected = RuleFiles.location(of: needle, occurrence: occurrence, in: yaml)
    #expect(diagnostic.file == RuleFiles.name, sourceLocation: sourceLocation)
    #expect(diagnostic.line == expected.line, "\(diagnostic)", sourceLocation: sourceLocation)
    #expect(diagnostic.column == expected.column, "\(diagnostic)", sourceLocation: sourceLocation)
}
