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
    /// The configuration it was built from; a reload compares against it.
    public let configuration: VigilConfiguration.Rules
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
    /// FNV-1a over the module's name, each rule file's path and bytes, and the settings in a canonical order.
    static func hash(module: String, files: [String], settings: [String: RuleSettings], readFile: (String) -> Data?) -> String {
        var hash = FNV1a128()
        hash.addField(module)
        for file in files {
            hash.addField(file)
            hash.addField(readFile(file).map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
        for rule in settings.keys.sorted() {
            hash.addField(rule)
            hash.addField(String(describing: settings[rule]!))
        }
        return hash.hexadecimal
    }
}
