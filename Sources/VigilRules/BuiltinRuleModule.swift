import VigilCore

/// The built-in relapse-risk rules of CLINICAL.md, selected with `rules.module: builtin`.
///
/// Every threshold, window, severity and cooldown is a default that the configuration can change; docs/RULES.md
/// lists each rule's parameters.
public struct BuiltinRuleModule: RuleModule {
    public let name = "builtin"

    /// The event-driven rules in CLINICAL.md's priority order: ties in severity go to the earlier one.
    static let rules: [any BuiltinRule.Type] = [
        SuicidalIdeationRule.self,
        SevereWithdrawalRule.self,
        HelpRequestRule.self,
        PolysubstanceRule.self,
        SubstanceUseRule.self,
        CravingSpikeRule.self,
        CombinedRiskRule.self,
        RisingCravingRule.self,
        CueExposureRule.self,
        MissedAppointmentsRule.self,
    ]

    public init() {}

    public var ruleIds: [String] { Self.rules.map { $0.id } }

    /// Every rule's settings are validated, a disabled rule's too: a mistake must not wait until it is enabled.
    public func makeRules(settings: [String: RuleSettings]) throws(RuleConfigurationError) -> [any Rule] {
        try checkRuleIds(settings)
        var rules: [any Rule] = []
        for type in Self.rules {
            var ruleSettings = settings[type.id] ?? RuleSettings(rule: type.id)
            let rule = try type.init(settings: &ruleSettings)
            try ruleSettings.finish()
            if rule.options.enabled { rules.append(rule) }
        }
        return rules
    }
}
