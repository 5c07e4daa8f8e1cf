import VigilCore

/// A minimal second rule module, selected with `rules.module: example`. It exists to prove that the daemon takes
/// any module through the `RuleModule` protocol alone, and it is the shortest template for writing one.
public struct ExampleRuleModule: RuleModule {
    public let name = "example"
    public let ruleIds = [CravingThresholdRule.id]

    public init() {}

    public func makeRules(settings: [String: RuleSettings]) throws(RuleConfigurationError) -> [any Rule] {
        try checkRuleIds(settings)
        var ruleSettings = settings[CravingThresholdRule.id] ?? RuleSettings(rule: CravingThresholdRule.id)
        let options = try RuleOptions(reading: &ruleSettings, defaultCooldown: 0)
        let threshold = try ruleSettings.number("threshold", default: 7, in: 0...10)
        try ruleSettings.finish()
        return options.enabled ? [CravingThresholdRule(options: options, threshold: threshold)] : []
    }
}
