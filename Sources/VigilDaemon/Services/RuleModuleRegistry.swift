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

    /// The engine for the configured module and settings; a bad rule setting is a configuration error.
    public func engine(for configuration: VigilConfiguration.Rules) throws(ConfigurationError) -> (module: any RuleModule, engine: RuleEngine) {
        let module = try module(named: configuration.module)
        do {
            return (module, RuleEngine(rules: try module.makeRules(settings: configuration.settings)))
        } catch {
            throw ConfigurationError(error.description)
        }
    }
}
