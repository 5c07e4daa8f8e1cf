import Foundation
import VigilCore
import VigilRuleLanguage

/// How `vigil rules test` prints an outcome: one line for a pass; for a failure, the alerts expected and got, and
/// which of them differ. Times are offsets from the file's `start`.
public enum RuleTestReport {
    public static func text(_ outcome: RuleTestRunner.Outcome, start: Date) -> String {
        guard !outcome.passed else { return "ok    \(outcome.test.name)" }
        var lines = ["FAIL  \(outcome.test.name) (\(outcome.test.location))"]
        if let problem = outcome.problem { lines.append("      \(problem)") }
        lines.append("      expected:")
        lines += outcome.expected.map { "        " + describe($0, start: start) }
        if outcome.expected.isEmpty { lines.append("        (no alerts)") }
        lines.append("      got:")
        lines += outcome.got.map { "        " + describe($0, start: start) }
        if outcome.got.isEmpty { lines.append("        (no alerts)") }
        var unmatched = outcome.got
        var missing: [RuleTest.ExpectedAlert] = []
        for alert in outcome.expected {
            if let index = unmatched.firstIndex(where: alert.matches) { unmatched.remove(at: index) } else { missing.append(alert) }
        }
        for alert in missing { lines.append("      - missing:    " + describe(alert, start: start)) }
        for alert in unmatched { lines.append("      + unexpected: " + describe(alert, start: start)) }
        return lines.joined(separator: "\n")
    }

    static func describe(_ alert: RuleTest.ExpectedAlert, start: Date) -> String {
        let offset = alert.at.timeIntervalSince(start)
        let at = offset >= 0 ? offsetText(offset) : RFC3339.format(alert.at)
        return "{at: \(at), patient: \(alert.patient), rule: \(alert.rule), severity: \(alert.severity.name), status: \(alert.status)\(alert.notify.map { ", notify: \($0)" } ?? "")}"
    }

    /// `3h10m`, `2d`, `0s`: the test format's own offsets.
    static func offsetText(_ seconds: TimeInterval) -> String {
        var rest = Int(seconds.rounded(.down))
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        let milliseconds = Int(((seconds - seconds.rounded(.down)) * 1000).rounded())
        if milliseconds > 0 { text += "\(milliseconds)ms" }
        return text.isEmpty ? "0s" : text
    }
}
