import Foundation
import VigilCore

/// A rule's typed parameter: its default and range, overridable in `rules.<id>.<name>` like a compiled rule's.
struct ParameterDeclaration: Sendable {
    enum Kind: Sendable {
        case number(default: Double, range: ClosedRange<Double>)
        case integer(default: Int, range: ClosedRange<Int>)
        case duration(default: TimeInterval, range: ClosedRange<TimeInterval>)
        case bool(default: Bool)
        /// A non-empty list of lower-cased names, such as substances.
        case strings(default: [String])
    }

    var name: String
    var kind: Kind
    var description: String

    var type: ExpressionType {
        switch kind {
        case .number, .integer: .number
        case .duration: .duration
        case .bool: .bool
        case .strings: .list(.string)
        }
    }

    func read(from settings: inout RuleSettings) throws(RuleConfigurationError) -> Value {
        switch kind {
        case .number(let value, let range):
            return .number(try settings.number(name, default: value, in: range))
        case .integer(let value, let range):
            return .number(Double(try settings.integer(name, default: value, in: range)))
        case .duration(let value, let range):
            let seconds = try settings.duration(name, default: value)
            guard range.contains(seconds) else {
                throw settings.invalidParameter(name, "must be a duration from \(DurationText.text(range.lowerBound)) to \(DurationText.text(range.upperBound))")
            }
            return .duration(seconds)
        case .bool(let value):
            return .bool(try settings.bool(name, default: value))
        case .strings(let value):
            let names = try settings.strings(name, default: value)
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
                throw settings.invalidParameter(name, "must be a non-empty list of names")
            }
            return .list(names.map(Value.string))
        }
    }
}
