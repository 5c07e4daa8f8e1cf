import VigilCore

/// A rule of the built-in module: configured from its settings (the common options first, then its own
/// parameters), so that the module can build every rule the same way.
protocol BuiltinRule: Rule {
    static var id: String { get }
    /// `enabled`, `severity` and `cooldown`, as configured.
    var options: RuleOptions { get }
    /// Reads the rule's settings; the module then refuses whatever was left unread.
    init(settings: inout RuleSettings) throws(RuleConfigurationError)
}

extension BuiltinRule {
    var id: String { Self.id }
}
