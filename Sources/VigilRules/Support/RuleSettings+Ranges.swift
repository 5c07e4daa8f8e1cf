import Foundation
import VigilCore

extension RuleSettings {
    /// A duration (`90s`, `15m`, `24h`, `7d`) that must lie in `range`; windows bound how much history is kept.
    mutating func duration(_ name: String, default value: TimeInterval, in range: ClosedRange<TimeInterval>) throws(RuleConfigurationError) -> TimeInterval {
        let seconds = try duration(name, default: value)
        guard range.contains(seconds) else {
            throw invalid(name, "must be a duration from \(DurationText.text(range.lowerBound)) to \(DurationText.text(range.upperBound))")
        }
        return seconds
    }

    /// A non-empty list of substance names (lower-cased by the reader, as the decoder lower-cases reported ones).
    mutating func substances(_ name: String, default value: [String]) throws(RuleConfigurationError) -> [String] {
        let names = try strings(name, default: value)
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw invalid(name, "must be a non-empty list of substance names")
        }
        return names
    }

    /// An error naming this rule and `parameter`, for checks that span parameters.
    func invalid(_ parameter: String, _ reason: String) -> RuleConfigurationError {
        RuleConfigurationError(rule: rule, parameter: parameter, reason: reason)
    }
}
