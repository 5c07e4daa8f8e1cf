import Foundation
import VigilCore
import VigilRuleLanguage

/// The rule modules this build offers, by name, and how a configuration becomes a `RuleSet`: the module picked with
/// `rules.module` (or `none`), then the rules of `rules.files`. The daemon knows modules only through the
/// `RuleModule` protocol.
public struct RuleModuleRegistry: Sendable {
    public let modules: [any RuleModule]

    public init(_ modules: [any RuleModule]) {
        self.modules = modules + [NoRuleModule()]
    }

    public func module(named name: String) throws(ConfigurationError) -> any RuleModule {
        guard let module = modules.first(where: { $0.name == name }) else {
            throw ConfigurationError("rules.module: unknown module \(name); available: \(modules.map(\.name).joined(separator: ", "))")
        }
        return module
    }

    /// A rule source on the command line (`--rules`, `--baseline-rules`): a module's name, or a rule file's path
    /// (then with no compiled module).
    public func rules(source: String, settings: [String: RuleSettings] = [:]) -> VigilConfiguration.Rules {
        var rules = VigilConfiguration.Rules()
        rules.settings = settings
        if modules.contains(where: { $0.name == source }) {
            rules.module = source
        } else {
            rules.module = "none"
            rules.files = [source]
        }
        return rules
    }

    /// The rule set for `configuration`. Rule file problems come back all at once, one `FILE:LINE:COLUMN: message`
    /// a line; a bad rule setting names the rule and parameter. The absence rules belong to the engine, not to a
    /// module: their settings (`enabled` only) are taken here.
    public func ruleSet(for configuration: VigilConfiguration.Rules, timers: TimerPolicy = TimerPolicy()) throws(ConfigurationError) -> RuleSet {
        let module = try module(named: configuration.module)
        let fileModule: FileRuleModule
        switch FileRuleModule.load(paths: configuration.files) {
        case .success(let loaded): fileModule = loaded
        case .failure(let errors): throw ConfigurationError("the rule files have problems:\n\(errors.description)")
        }
        if let shared = fileModule.ruleIds.first(where: module.ruleIds.contains) {
            throw ConfigurationError("rule \(shared) is both in module \(module.name) and in a rule file; rename it, or set rules.module: none")
        }
        var settings = configuration.settings
        var timers = timers
        do {
            for ruleId in timers.ruleIds {
                guard var ruleSettings = settings.removeValue(forKey: ruleId) else { continue }
                let enabled = try ruleSettings.bool("enabled", default: true)
                try ruleSettings.finish()
                if ruleId == TimerPolicy.missedCheckinsRule { timers.missedCheckinsEnabled = enabled } else { timers.silenceAfterLapseEnabled = enabled }
            }
            let fileSettings = settings.filter { fileModule.ruleIds.contains($0.key) }
            let moduleSettings = settings.filter { !fileModule.ruleIds.contains($0.key) }
            let rules = try module.makeRules(settings: moduleSettings) + fileModule.makeRules(settings: fileSettings)
            let sources = Dictionary(uniqueKeysWithValues: fileModule.definitions.map { ($0.id, $0.source) })
            let descriptions = rules.map { rule in
                RuleSet.Description(id: rule.id, version: rule.version, source: sources[rule.id] ?? "module \(module.name)", isShadow: rule.isShadow)
            }
            return RuleSet(
                moduleName: module.name, engine: RuleEngine(rules: rules, timers: timers), rules: descriptions,
                hash: RuleSet.hash(module: module.name, files: fileModule, settings: configuration.settings)
            )
        } catch {
            throw ConfigurationError(error.description)
        }
    }
}
