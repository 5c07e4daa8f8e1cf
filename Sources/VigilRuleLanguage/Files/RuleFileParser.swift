import Foundation
import VigilCore
import Yams

/// Reads a rule file: `rules:`, a list of rule declarations (docs/RULE-LANGUAGE.md). Every problem is collected with its
/// position; a file with any problem yields no rules.
public enum RuleFileParser {
    public static func load(path: String) -> Result<[RuleDefinition], RuleFileErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(RuleFileErrors([RuleFileDiagnostic(file: path, line: 1, column: 1, message: "cannot read the file")]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(RuleFileErrors([RuleFileDiagnostic(file: path, line: 1, column: 1, message: "the file is not UTF-8 text")]))
        }
        return parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) -> Result<[RuleDefinition], RuleFileErrors> {
        var document = YAMLDocument(file: file, text: text)
        var definitions: [RuleDefinition] = []
        if let root = document.root, let members = document.members(root, what: "a rule file", allowed: ["rules"]) {
            if let rules = members.first(where: { $0.key == "rules" }), let list = document.sequence(rules.value, what: "rules") {
                var ids: Set<String> = []
                for node in list {
                    guard let definition = RuleDeclarationReader.read(node, in: &document) else { continue }
                    if !ids.insert(definition.id).inserted {
                        document.problem(node, "rule \(definition.id) is declared twice")
                        continue
                    }
                    definitions.append(definition)
                }
            } else if members.isEmpty || !members.contains(where: { $0.key == "rules" }) {
                document.problem(root, "a rule file has one key, rules: a list of rules")
            }
        } else if document.diagnostics.isEmpty {
            document.problem(nil, "the file is empty: a rule file has one key, rules: a list of rules")
        }
        return document.diagnostics.isEmpty ? .success(definitions) : .failure(RuleFileErrors(document.diagnostics))
    }
}
