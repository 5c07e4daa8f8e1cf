import VigilCore

/// The rule modules this build offers, by name. The daemon picks one with `rules.module`; it knows modules only
/// through the `RuleModule` protocol.
public struct RuleModuleRegistry: Sendable {
    public let modules: [any RuleModule]

    public init(_ modules: [any RuleModule]) {
        self.modules = modules
    }

    public func module(named name: String) throws(ConfigurationError) -> any RuleModule {
        guard let module = modules.first(where: { $0.name == name }) else {
            throw ConfigurationError("rules.module: unknown module \(name); available: \(modules.map(\.name).joined(separator: ", "))")
        }
        return module
    }

    /// The engine for the configured module and settings; a bad rule setting is a configuration error. The
    /// absence rules belong to the engine, not to a module: their settings (`enabled` only) are taken here.
    public func engine(for configuration: VigilConfiguration.Rules, timers: TimerPolicy = TimerPolicy()) throws(ConfigurationError) -> (module: any RuleModule, engine: RuleEngine) {
        let module = try module(named: configuration.module)
        var settings = configuration.settings
        var timers = timers
        do {
            for ruleId in timers.ruleIds {
                guard var ruleSettings = settings.removeValue(forKey: ruleId) else { continue }
                let enabled = try ruleSettings.bool("enabled", default: true)
                try ruleSettings.finish()
                if ruleId == TimerPolicy.missedCheckinsRule { timers.missedCheckinsEnabled = enabled } else { timers.silenceAfterLapseEnabled = enabled }
            }
            return (module, RuleEngine(rules: try module.makeRules(settings: settings), timers: timers))
        } catch {
            throw ConfigurationError(error.description)
        }
    }
}
