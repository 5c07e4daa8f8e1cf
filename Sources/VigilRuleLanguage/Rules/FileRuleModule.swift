import Foundation
import VigilCore

/// The rules of one or more rule files, as a rule module: configured from `rules.<id>` settings like the compiled
/// modules, in the files' order (their priority order).
public struct FileRuleModule: RuleModule {
    public let name = "files"
    public let definitions: [RuleDefinition]
    /// FNV-1a over each file's path and the bytes that were parsed: what `/status`'s rule-set hash covers.
    public let contentHash: String

    public init(_ definitions: [RuleDefinition], contentHash: String = FNV1a128().hexadecimal) {
        self.definitions = definitions
        self.contentHash = contentHash
    }

    /// The rules of `paths` (files or globs, in order); every problem of every file, or the module.
    public static func load(paths: [String]) -> Result<FileRuleModule, RuleFileErrors> {
        var definitions: [RuleDefinition] = []
        var diagnostics: [RuleFileDiagnostic] = []
        var hash = FNV1a128()
        for path in paths {
            let files = RuleFilePaths.expand(path)
            if files.isEmpty {
                diagnostics.append(RuleFileDiagnostic(file: path, line: 1, column: 1, message: "no rule file matches"))
            }
            for file in files {
                let text = FileManager.default.contents(atPath: file).flatMap { String(data: $0, encoding: .utf8) }
                hash.addField(file)
                hash.addField(text ?? "")
                let parsed = text.map { RuleFileParser.parse($0, file: file) } ?? RuleFileParser.load(path: file)
                switch parsed {
                case .success(let loaded):
                    for definition in loaded {
                        if let earlier = definitions.first(where: { $0.id == definition.id }) {
                            diagnostics.append(RuleFileDiagnostic(file: file, line: definition.line, column: definition.column, message: "rule \(definition.id) is already declared at \(earlier.source)"))
                        } else {
                            definitions.append(definition)
                        }
                    }
                case .failure(let errors):
                    diagnostics += errors.diagnostics
                }
            }
        }
        return diagnostics.isEmpty ? .success(FileRuleModule(definitions, contentHash: hash.hexadecimal)) : .failure(RuleFileErrors(diagnostics))
    }

    public var ruleIds: [String] { definitions.map(\.id) }

    /// Problems that only configuring shows (a default that fails a rule's `checks`), at the rule's position.
    public func checkDefaults() -> [RuleFileDiagnostic] {
        definitions.compactMap { definition -> RuleFileDiagnostic? in
            do throws(RuleConfigurationError) {
                _ = try definition.configured()
                return nil
            } catch {
                let file = String(definition.source[..<(definition.source.lastIndex(of: ":") ?? definition.source.endIndex)])
                return RuleFileDiagnostic(file: file, line: definition.line, column: definition.column, message: "with its defaults: \(error.description)")
            }
        }
    }

    /// Every rule's settings are checked, a disabled rule's too.
    public func makeRules(settings: [String: RuleSettings]) throws(RuleConfigurationError) -> [any Rule] {
        try checkRuleIds(settings)
        var rules: [any Rule] = []
        for definition in definitions {
            var ruleSettings = settings[definition.id] ?? RuleSettings(rule: definition.id)
            let rule = try definition.configured(with: &ruleSettings)
            try ruleSettings.finish()
            if rule.options.enabled { rules.append(rule) }
        }
        return rules
    }
}

/// Rule file paths as configured: a path, or a glob (`rules/*.yaml`) expanded in sorted order.
public enum RuleFilePaths {
    public static func expand(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
