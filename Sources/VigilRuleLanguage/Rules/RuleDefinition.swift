import Foundation
import VigilCore

/// A rule as a rule file declares it, compiled: every expression type-checked, parameters with their defaults and
/// ranges. `configured(with:)` makes the `Rule` the engine runs, from the `rules.<id>` settings.
public struct RuleDefinition: Sendable {
    public enum Status: String, Sendable {
        /// Alerts are published.
        case production
        /// Shadow mode: evaluated and counted (`vigil_rule_shadow_matches_total`), never published.
        case testing
    }

    public let id: String
    public let version: Int
    public let status: Status
    public let description: String
    public let citations: [String]
    /// Where the rule was read from: `FILE:LINE`.
    public let source: String
    /// The rule's position in its file, for problems found when it is configured.
    public let line: Int
    public let column: Int
    let eventKinds: RecordKinds
    let defaultCooldown: TimeInterval
    let parameters: [ParameterDeclaration]
    let checks: [ParameterCheck]
    let explicitLookback: WindowLength?
    let windowLengths: [WindowLength]
    /// The rule compiled for each kind of event it fires on (by `RecordKind.position`): a field the kind lacks is
    /// known absent there, and the conditions around it are folded away.
    let bodies: [Body?]
    /// Variable slots of the parameter checks.
    let checkSlots: Int

    /// A class: evaluating a rule reads its body once an event, and a reference costs one retain to read.
    final class Body: Sendable {
        let precondition: BoolEvaluator?
        let lets: [Evaluator]
        let tiers: [Tier]
        let variableSlots: Int

        init(precondition: BoolEvaluator?, lets: [Evaluator], tiers: [Tier], variableSlots: Int) {
            self.precondition = precondition
            self.lets = lets
            self.tiers = tiers
            self.variableSlots = variableSlots
        }
    }

    final class Tier: Sendable {
        let severity: Severity
        let condition: BoolEvaluator
        let summary: SummaryTemplate
        let evidence: [EvidenceSelector]
        let cooldown: TimeInterval?
        let action: String?

        init(severity: Severity, condition: @escaping BoolEvaluator, summary: SummaryTemplate, evidence: [EvidenceSelector], cooldown: TimeInterval?, action: String?) {
            self.severity = severity
            self.condition = condition
            self.summary = summary
            self.evidence = evidence
            self.cooldown = cooldown
            self.action = action
        }
    }

    /// `{of: records, field: path, when: condition}`: the records' field becomes evidence.
    struct EvidenceSelector: Sendable {
        var records: Evaluator
        var field: String
        var value: Evaluator
        var valueSlot: Int
        var condition: Evaluator?
    }

    /// A cross-parameter rule, such as `mediumFloor` not above `highThreshold`.
    struct ParameterCheck: Sendable {
        var condition: Evaluator
        var parameter: String
        var message: String
    }

    /// The rule with defaults, as the engine runs it when the configuration says nothing of it.
    public func configured() throws(RuleConfigurationError) -> FileRule {
        var settings = RuleSettings(rule: id)
        return try configured(with: &settings)
    }

    /// Reads `enabled`, `severity`, `cooldown` and the declared parameters; the caller refuses what is left
    /// (`RuleSettings.finish`).
    public func configured(with settings: inout RuleSettings) throws(RuleConfigurationError) -> FileRule {
        let options = try RuleOptions(reading: &settings, defaultCooldown: defaultCooldown)
        var values: [Value] = []
        for parameter in parameters { values.append(try parameter.read(from: &settings)) }
        // Checks read only parameters: a frame with no event serves.
        let frame = Frame(parameters: values, lets: [], variableSlots: checkSlots)
        for check in checks {
            guard (try? check.condition(frame).boolValue()) == true else { throw settings.invalidParameter(check.parameter, check.message) }
        }
        var lookback: TimeInterval = 0
        for length in windowLengths + (explicitLookback.map { [$0] } ?? []) {
            switch length {
            case .seconds(let seconds): lookback = max(lookback, seconds)
            case .parameter(let index): lookback = max(lookback, (try? values[index].durationValue()) ?? 0)
            }
        }
        return FileRule(definition: self, options: options, parameters: values, lookback: lookback)
    }
}

extension RuleSettings {
    func invalidParameter(_ parameter: String, _ reason: String) -> RuleConfigurationError {
        RuleConfigurationError(rule: rule, parameter: parameter, reason: reason)
    }
}
