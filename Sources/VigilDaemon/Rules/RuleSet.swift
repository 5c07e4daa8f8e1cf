import Foundation
import VigilCore
import VigilRuleLanguage

/// The rules the engine runs, as configured: the compiled module's, then the rule files', with what `/status` shows
/// of each and a hash of the whole set (module, file contents and settings), so operators can see which rules run.
public struct RuleSet: Sendable {
    public struct Description: Sendable, Equatable {
        public var id: String
        public var version: Int
        /// `module builtin`, or the rule file and line that declares it.
        public var source: String
        /// A rule file's `status: testing`: evaluated and counted, never published.
        public var isShadow: Bool
    }

    public let moduleName: String
    public let engine: RuleEngine
    public let rules: [Description]
    public let hash: String
}

/// `rules.module: none`: no compiled rules, for a deployment whose rules all come from files.
struct NoRuleModule: RuleModule {
    let name = "none"
    let ruleIds: [String] = []

    func makeRules(settings: [String: RuleSettings]) throws(RuleConfigurationError) -> [any Rule] {
        try checkRuleIds(settings)
        return []
    }
}

extension RuleSet {
    /// FNV-1a over the module's name, the rule files as parsed, and the settings in a canonical order: the same on
    /// every replica and every reload of the same configuration.
    static func hash(module: String, files: FileRuleModule, settings: [String: RuleSettings]) -> String {
        var hash = FNV1a128()
        hash.addField(module)
        hash.addField(files.contentHash)
        for rule in settings.keys.sorted() {
            hash.addField(rule)
            hash.addField(settings[rule]!.canonicalText)
        }
        return hash.hexadecimal
    }
}
