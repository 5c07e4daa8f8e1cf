import Foundation

/// The settings every rule takes besides its own parameters: `enabled`, `severity` (forces one severity for every
/// match of the rule) and `cooldown`.
public struct RuleOptions: Sendable, Equatable {
    public var enabled: Bool
    public var severity: Severity?
    public var cooldown: TimeInterval

    public init(enabled: Bool = true, severity: Severity? = nil, cooldown: TimeInterval) {
        self.enabled = enabled
        self.severity = severity
        self.cooldown = cooldown
    }

    public init(reading settings: inout RuleSettings, defaultCooldown: TimeInterval) throws(RuleConfigurationError) {
        self.enabled = try settings.bool("enabled", default: true)
        self.severity = try settings.severity("severity")
        self.cooldown = try settings.duration("cooldown", default: defaultCooldown)
    }

    /// The match a rule reports: the configured severity, if any, replaces the rule's own.
    public func match(_ severity: Severity, summary: String, evidence: [Evidence], cooldown: TimeInterval? = nil) -> RuleMatch {
        RuleMatch(severity: self.severity ?? severity, summary: summary, evidence: evidence, cooldown: cooldown ?? self.cooldown)
    }
}
