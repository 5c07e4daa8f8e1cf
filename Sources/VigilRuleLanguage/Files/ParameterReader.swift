import Foundation
import VigilCore
import Yams

/// Reads a parameter declaration: `{type, default, min, max, description}`. Numbers, whole numbers and durations
/// must declare their range: a clinical threshold has one, and the configuration is checked against it.
enum ParameterReader {
    static let types = ["number", "integer", "duration", "bool", "strings"]

    static func read(_ name: String, _ node: Node, in document: inout YAMLDocument) -> ParameterDeclaration? {
        guard let members = document.members(node, what: "parameter \(name)", allowed: ["type", "default", "min", "max", "description"]) else { return nil }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let typeNode = fields["type"], let type = document.string(typeNode, what: "type"), let defaultNode = fields["default"] else {
            document.problem(node, "parameter \(name) needs type and default")
            return nil
        }
        let description = fields["description"].flatMap { document.string($0, what: "description") } ?? ""
        let ranged = ["number", "integer", "duration"].contains(type)
        if ranged, fields["min"] == nil || fields["max"] == nil {
            document.problem(node, "parameter \(name) needs min and max")
            return nil
        }
        if !ranged, let extra = fields["min"] ?? fields["max"] {
            document.problem(extra, "a \(type) parameter has no range")
            return nil
        }
        let kind: ParameterDeclaration.Kind
        switch type {
        case "number":
            guard let value = document.number(defaultNode, what: "default"), let low = document.number(fields["min"]!, what: "min"),
                let high = document.number(fields["max"]!, what: "max"), let range = range(low, high, fields["max"]!, in: &document),
                contains(range, value, defaultNode, in: &document)
            else { return nil }
            kind = .number(default: value, range: range)
        case "integer":
            guard let value = document.integer(defaultNode, what: "default"), let low = document.integer(fields["min"]!, what: "min"),
                let high = document.integer(fields["max"]!, what: "max"), let range = range(low, high, fields["max"]!, in: &document),
                contains(range, value, defaultNode, in: &document)
            else { return nil }
            kind = .integer(default: value, range: range)
        case "duration":
            guard let value = RuleDeclarationReader.duration(defaultNode, what: "default", in: &document),
                let low = RuleDeclarationReader.duration(fields["min"]!, what: "min", in: &document),
                let high = RuleDeclarationReader.duration(fields["max"]!, what: "max", in: &document),
                let range = range(low, high, fields["max"]!, in: &document), contains(range, value, defaultNode, in: &document)
            else { return nil }
            kind = .duration(default: value, range: range)
        case "bool":
            guard let value = document.bool(defaultNode, what: "default") else { return nil }
            kind = .bool(default: value)
        case "strings":
            guard let value = document.strings(defaultNode, what: "default") else { return nil }
            guard !value.isEmpty else {
                document.problem(defaultNode, "the default must name at least one")
                return nil
            }
            kind = .strings(default: value.map { $0.lowercased() })
        default:
            document.problem(typeNode, "type must be one of \(types.joined(separator: ", "))")
            return nil
        }
        return ParameterDeclaration(name: name, kind: kind, description: description)
    }

    private static func range<T: Comparable>(_ low: T, _ high: T, _ node: Node, in document: inout YAMLDocument) -> ClosedRange<T>? {
        guard low <= high else {
            document.problem(node, "max must not be below min")
            return nil
        }
        return low...high
    }

    private static func contains<T: Comparable>(_ range: ClosedRange<T>, _ value: T, _ node: Node, in document: inout YAMLDocument) -> Bool {
        guard range.contains(value) else {
            document.problem(node, "the default lies outside min and max")
            return false
        }
        return true
    }
}
