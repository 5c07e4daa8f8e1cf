import Foundation
import VigilCore
import VigilRuleLanguage
import Yams

/// The `rules` section of a configuration file, read alone: `rules test`, `rules backtest` and reload take rule
/// settings from a configuration file and ignore its other sections.
public enum RuleSettingsFile {
    public static func rules(inConfigurationFile path: String) throws(ConfigurationError) -> VigilConfiguration.Rules {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        let section: Node?
        do {
            section = try Yams.compose(yaml: text)?.mapping?["rules"]
        } catch {
            throw ConfigurationError("the configuration file is not valid YAML: \(YAMLDocument.describe(error, file: path))")
        }
        guard let section else { return VigilConfiguration.Rules() }
        let yaml: String
        do {
            yaml = try Yams.serialize(node: Node.mapping(Node.Mapping([(Node("rules"), section)])))
        } catch {
            throw ConfigurationError("the rules section of \(path) cannot be read")
        }
        var rules = try rules(yaml: yaml)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        rules.files = rules.files.map { RuleSettingsFile.resolve($0, relativeTo: directory) }
        return rules
    }

    /// A document with one key, `rules`.
    static func rules(yaml: String) throws(ConfigurationError) -> VigilConfiguration.Rules {
        var configuration = VigilConfiguration()
        try ConfigurationFile.apply(yaml: yaml, to: &configuration)
        return configuration.rules
    }

    /// A relative rule-file path written in a file is relative to that file's directory.
    static func resolve(_ path: String, relativeTo directory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardized.path
    }
}
