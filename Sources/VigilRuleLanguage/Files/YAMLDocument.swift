import Foundation
import Yams

/// A YAML file read for its positions: every node keeps its line and column, and problems are collected (not
/// thrown) so that one run reports all of them.
struct YAMLDocument {
    let file: String
    let root: Node?
    private let lines: [Substring]
    private(set) var diagnostics: [RuleFileDiagnostic] = []

    init(file: String, text: String) {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            root = nil
            diagnostics.append(Self.diagnostic(for: error, file: file))
        } catch {
            root = nil
            diagnostics.append(RuleFileDiagnostic(file: file, line: 1, column: 1, message: "not valid YAML: \(error)"))
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> RuleFileDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RuleFileDiagnostic(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        default:
            return RuleFileDiagnostic(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
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

    private func position(in node: Node, offset: Int) -> (Int, Int) {
        guard let scalar = node.scalar, let mark = scalar.mark else { return (node.mark?.line ?? 1, node.mark?.column ?? 1) }
        let text = scalar.string
        let utf8 = Array(text.utf8)
        let clamped = min(max(offset, 0), utf8.count)
        let before = String(decoding: utf8[..<clamped], as: UTF8.self)
        let lineInText = before.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        let columnInLine = before.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.unicodeScalars.count } ?? 0
        switch scalar.style {
        case .plain where lineInText == 0 && !text.contains("\n"):
            return (mark.line, mark.column + columnInLine)
        case .singleQuoted where lineInText == 0 && !text.contains("'"), .doubleQuoted where lineInText == 0 && !text.contains("\\"):
            return (mark.line, mark.column + 1 + columnInLine)
        case .literal:
            // The content starts on the line after the indicator, indented like its first line.
            let line = mark.line + 1 + lineInText
            guard line - 1 < lines.count else { return (mark.line, mark.column) }
            let indentation = lines[line - 1].prefix { $0 == " " }.count
            return (line, indentation + 1 + columnInLine)
        default:
            // Folded and multi-line scalars: find the text at the offset in the file, from the scalar on.
            let needle = String(String(decoding: utf8[clamped...], as: UTF8.self).prefix { $0 != "\n" }.prefix(16))
            guard !needle.isEmpty else { return (mark.line, mark.column) }
            for index in (mark.line - 1)..<lines.count {
                if let range = lines[index].range(of: needle) {
                    return (index + 1, lines[index].unicodeScalars.distance(from: lines[index].startIndex, to: range.lowerBound) + 1)
                }
            }
            return (mark.line, mark.column)
        }
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
