import Foundation
import Yams

/// A YAML file read for its positions: every node keeps its line and column, and problems are collected (not
/// thrown) so that one run reports all of them.
public struct YAMLDocument {
    let file: String
    let root: Node?
    private let lines: [Substring]
    private(set) var diagnostics: [RuleFileDiagnostic] = []

    init(file: String, text: String) {
        self.file = file
        // Line breaks as libyaml counts them (LF, CR, CRLF, NEL, LS, PS), so that its line numbers index this array.
        self.lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            root = nil
            diagnostics.append(Self.diagnostic(for: error, file: file, lines: lines))
        } catch {
            root = nil
            diagnostics.append(RuleFileDiagnostic(file: file, line: 1, column: 1, message: "not valid YAML"))
        }
    }

    /// Whether every mapping key in `node`'s tree is a scalar. Yams's `Node.any` traps on any other key (`? [a]: b`
    /// is valid YAML), so a tree is checked with this before it is converted.
    public static func hasOnlyScalarKeys(_ node: Node) -> Bool {
        switch node {
        case .scalar, .alias: true
        case .sequence(let sequence): sequence.allSatisfy(hasOnlyScalarKeys)
        case .mapping(let mapping): mapping.allSatisfy { $0.key.scalar != nil && hasOnlyScalarKeys($0.value) }
        }
    }

    /// Where and what, never the quoted text: Yams's own descriptions include the offending line.
    public static func describe(_ error: any Error, file: String) -> String {
        guard let error = error as? YamlError else { return "\(file): not valid YAML" }
        return diagnostic(for: error, file: file, lines: []).description
    }

    private static func diagnostic(for error: YamlError, file: String, lines: [Substring]) -> RuleFileDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RuleFileDiagnostic(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let found, let context):
            // Yams lists them in no fixed order: sorted, the same file always gives the same message.
            let duplicates = found.sorted()
            let (line, column) = secondOccurrence(of: duplicates.first ?? "", from: context.mark.line, in: lines)
                ?? (context.mark.line, context.mark.column)
            return RuleFileDiagnostic(file: file, line: line, column: column, message: "\(duplicates.joined(separator: ", ")) is given twice in one mapping")
        default:
            // Other errors' descriptions quote the file's text, which may be a secret's line: say only what failed.
            return RuleFileDiagnostic(file: file, line: 1, column: 1, message: "not valid YAML")
        }
    }

    /// Where `key:` appears for the second time from `line` on: the repeated key.
    private static func secondOccurrence(of key: String, from line: Int, in lines: [Substring]) -> (Int, Int)? {
        var seen = 0
        guard line - 1 < lines.count else { return nil }
        for index in max(line - 1, 0)..<lines.count {
            let text = lines[index]
            let indentation = text.prefix { $0 == " " || $0 == "-" }.count
            guard text.dropFirst(indentation).hasPrefix("\(key):") else { continue }
            seen += 1
            if seen == 2 { return (index + 1, indentation + 1) }
        }
        return nil
    }

    mutating func problem(_ node: Node?, _ message: String) {
        let mark = node?.mark
        diagnostics.append(RuleFileDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// A problem inside an expression: at the byte `offset` of the scalar's text, mapped back to the file.
    mutating func problem(in node: Node, offset: Int, _ message: String) {
        let (line, column) = position(in: node, offset: offset)
        diagnostics.append(RuleFileDiagnostic(file: file, line: line, column: column, message: message))
    }

    /// Walks the file from the scalar's start alongside its text, to the `offset`-th byte of the text. YAML has
    /// folded line breaks into spaces, dropped indentation and resolved escapes (`\"`, `''`), so file characters
    /// that the text does not have are skipped: whitespace, and the escape character of a quoted scalar.
    private func position(in node: Node, offset: Int) -> (Int, Int) {
        guard let scalar = node.scalar, let mark = scalar.mark else { return (node.mark?.line ?? 1, node.mark?.column ?? 1) }
        let utf8 = Array(scalar.string.utf8)
        let target = String(decoding: utf8[..<min(max(offset, 0), utf8.count)], as: UTF8.self).unicodeScalars.count
        let text = Array(scalar.string.unicodeScalars)
        var line = mark.line - 1
        var column = mark.column - 1
        guard line < lines.count else { return (mark.line, mark.column) }
        var source = Array(lines[line].unicodeScalars)
        // Column `source.count` stands for the line's line break.
        func advance() -> Bool {
            if column < source.count {
                column += 1
                return true
            }
            line += 1
            column = 0
            guard line < lines.count else { return false }
            source = Array(lines[line].unicodeScalars)
            return true
        }
        func current() -> Unicode.Scalar { column < source.count ? source[column] : "\n" }
        switch scalar.style {
        case .literal, .folded:
            // The content starts on the line after the indicator.
            line += 1
            column = 0
            guard line < lines.count else { return (mark.line, mark.column) }
            source = Array(lines[line].unicodeScalars)
        case .singleQuoted, .doubleQuoted:
            guard advance() else { return (mark.line, mark.column) }
        default:
            break
        }
        var index = 0
        var steps = 0
        while index < target, steps < 100_000 {
            steps += 1
            let wanted = text[index]
            let found = current()
            if found == wanted {
                index += 1
            } else if !(found == " " || found == "\t" || found == "\n" || (scalar.style == .doubleQuoted && found == "\\") || (scalar.style == .singleQuoted && found == "'")) {
                return (mark.line, mark.column)
            }
            guard advance() else { return (mark.line, mark.column) }
        }
        // The text at the offset may start after skipped whitespace.
        while current() == " " || current() == "\n", steps < 100_000 {
            steps += 1
            guard advance() else { break }
        }
        return (line + 1, column + 1)
    }

    // MARK: Typed reading

    /// The members of a mapping, refusing keys not in `allowed` (a misspelt key must not be ignored).
    mutating func members(_ node: Node, what: String, allowed: Set<String>? = nil) -> [(key: String, keyNode: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            problem(node, "\(what) must be a mapping")
            return nil
        }
        var members: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                problem(key, "keys of \(what) must be plain names")
                continue
            }
            if let allowed, !allowed.contains(name) {
                problem(key, "unknown key \(name) in \(what); expected one of \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            guard seen.insert(name).inserted else {
                problem(key, "\(name) is given twice in \(what)")
                continue
            }
            members.append((name, key, value))
        }
        return members
    }

    mutating func string(_ node: Node, what: String) -> String? {
        guard let scalar = node.scalar else {
            problem(node, "\(what) must be a string")
            return nil
        }
        return scalar.string
    }

    mutating func number(_ node: Node, what: String) -> Double? {
        guard let scalar = node.scalar, scalar.style == .plain, let number = Double(scalar.string), number.isFinite else {
            problem(node, "\(what) must be a number")
            return nil
        }
        return number
    }

    mutating func integer(_ node: Node, what: String) -> Int? {
        guard let scalar = node.scalar, scalar.style == .plain, let number = Int(scalar.string) else {
            problem(node, "\(what) must be a whole number")
            return nil
        }
        return number
    }

    mutating func bool(_ node: Node, what: String) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            problem(node, "\(what) must be true or false")
            return nil
        }
        return scalar.string == "true"
    }

    mutating func sequence(_ node: Node, what: String) -> [Node]? {
        guard let sequence = node.sequence else {
            problem(node, "\(what) must be a list")
            return nil
        }
        return Array(sequence)
    }

    mutating func strings(_ node: Node, what: String) -> [String]? {
        guard let elements = sequence(node, what: what) else { return nil }
        var strings: [String] = []
        for element in elements {
            guard let text = string(element, what: "each of \(what)") else { return nil }
            strings.append(text)
        }
        return strings
    }
}
