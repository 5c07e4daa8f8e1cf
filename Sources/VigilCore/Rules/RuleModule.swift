/// A set of rules that the daemon loads by name (`rules.module` in the configuration).
///
/// The daemon knows modules only through this protocol; adding one is a new target that conforms and one line in
/// the executable's list of modules.
public protocol RuleModule: Sendable {
    /// The name selected in configuration, e.g. `builtin`.
    var name: String { get }
    /// Every rule id the module offers, in priority order (ties in severity go to the earlier one).
    var ruleIds: [String] { get }
    /// The enabled rules in priority order, configured from `settings` (keyed by rule id; a missing id means
    /// defaults). Throws for an unknown rule id or parameter, or a value of the wrong type or range.
    func makeRules(settings: [String: RuleSettings]) throws(RuleConfigurationError) -> [any Rule]
}

extension RuleModule {
    /// Refuses settings for rule ids this module does not offer.
    public func checkRuleIds(_ settings: [String: RuleSettings]) throws(RuleConfigurationError) {
        for ruleId in settings.keys.sorted() where !ruleIds.contains(ruleId) {
            throw RuleConfigurationError(rule: ruleId, parameter: nil, reason: "unknown rule for module \(name)")
        }
    }
}

/// A rule configuration that cannot be used; the daemon exits 64 with this message.
public struct RuleConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var parameter: String?
    public var reason: String

    public init(rule: String, parameter: String?, reason: String) {
        self.rule = rule
        self.parameter = parameter
        self.reason = reason
    }

    public var description: String {
        if let parameter { return "rules.\(rule).\(parameter): \(reason)" }
        return "rules.\(rule): \(reason)"
    }
}
