import Foundation
import VigilCore

/// Reading values whose type the checker has already proved; a mismatch here is a bug in the compiler, reported
/// as an evaluation error rather than a crash.
extension Value {
    private static func mismatch(_ expected: String) -> EvaluationError {
        EvaluationError(message: "internal: expected a \(expected)")
    }

    func boolValue() throws(EvaluationError) -> Bool {
        guard case .bool(let flag) = self else { throw Self.mismatch("bool") }
        return flag
    }

    func numberValue() throws(EvaluationError) -> Double {
        guard case .number(let number) = self else { throw Self.mismatch("number") }
        return number
    }

    func stringValue() throws(EvaluationError) -> String {
        guard case .string(let text) = self else { throw Self.mismatch("string") }
        return text
    }

    func durationValue() throws(EvaluationError) -> TimeInterval {
        guard case .duration(let seconds) = self else { throw Self.mismatch("duration") }
        return seconds
    }

    func recordValue() throws(EvaluationError) -> Record {
        guard case .record(let record) = self else { throw Self.mismatch("record") }
        return record
    }

    /// A number used as a count or an index: whole and within `Int`'s range.
    func wholeNumber() throws(EvaluationError) -> Int {
        let number = try numberValue()
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw EvaluationError(message: "\(number.compact) is not a whole number")
        }
        return Int(number)
    }

    /// The number of elements of a list or history.
    func elementCount() throws(EvaluationError) -> Int {
        switch self {
        case .list(let values): values.count
        case .history(let history): history.count
        default: throw Self.mismatch("list")
        }
    }

    static func element(of list: Value, at offset: Int) throws(EvaluationError) -> Value {
        let count = try list.elementCount()
        guard offset >= 0, offset < count else { throw EvaluationError(message: "index \(offset) out of range of a list of \(count)") }
        switch list {
        case .list(let values): return values[offset]
        case .history(let history): return .record(history[offset])
        default: throw mismatch("list")
        }
    }

    /// Calls `body` with each element in order until it returns false.
    func forEachElement(_ frame: Frame, _ body: (Value) throws(EvaluationError) -> Bool) throws(EvaluationError) {
        switch self {
        case .list(let values):
            for value in values {
                try frame.step()
                guard try body(value) else { return }
            }
        case .history(let history):
            for offset in 0..<history.count {
                try frame.step()
                guard try body(.record(history[offset])) else { return }
            }
        default:
            throw Self.mismatch("list")
        }
    }

    /// The elements as an array (a history's records become record values).
    func elements() throws(EvaluationError) -> [Value] {
        switch self {
        case .list(let values): return values
        case .history(let history): return (0..<history.count).map { .record(history[$0]) }
        default: throw Self.mismatch("list")
        }
    }

    /// CEL's `==` for the types that have it; records are equal when they are the same event.
    func isEqual(to other: Value, in frame: Frame) -> Bool {
        switch (self, other) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.timestamp(let a), .timestamp(let b)): return a == b
        case (.duration(let a), .duration(let b)): return a == b
        case (.record(let a), .record(let b)): return frame.isSame(a, b)
        case (.list, _), (.history, _):
            guard let mine = try? elements(), let theirs = try? other.elements(), mine.count == theirs.count else { return false }
            return zip(mine, theirs).allSatisfy { $0.isEqual(to: $1, in: frame) }
        default: return false
        }
    }

    /// The order of numbers, strings, timestamps and durations; nil for other types.
    func compare(to other: Value) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (self, other) {
        case (.number(let a), .number(let b)): return a.isNaN || b.isNaN ? nil : order(a, b)
        case (.string(let a), .string(let b)): return order(a, b)
        case (.timestamp(let a), .timestamp(let b)): return order(a, b)
        case (.duration(let a), .duration(let b)): return order(a, b)
        default: return nil
        }
    }
}
