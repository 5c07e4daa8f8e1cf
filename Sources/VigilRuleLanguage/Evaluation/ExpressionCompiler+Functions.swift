import Foundation
import VigilCore

/// The functions of the language: CEL's `size`, `string`, `duration` and `has`, the list functions of CEL's list
/// extension, Vigil's aggregates, and the windowed functions of a patient's history. docs/RULE-LANGUAGE.md lists them.
extension ExpressionCompiler {
    mutating func call(_ target: ExpressionSyntax?, _ name: String, _ arguments: [ExpressionSyntax], at: Int) throws(ExpressionProblem) -> Compiled {
        guard let target else { return try globalCall(name, arguments, at: at) }
        if Self.macros.contains(name) { return try macro(target, name, arguments, at: at) }
        let receiver = try compile(target)
        if case .history(let kind) = receiver.type, let windowed = try windowFunction(receiver.evaluate, kind, name, arguments, at: at) {
            if case .identifier = target, ["window", "before", "around"].contains(name) { unwindowedHistoryReads -= 1 }
            return windowed
        }
        return try method(receiver, name, arguments, at: at)
    }

    private mutating func globalCall(_ name: String, _ arguments: [ExpressionSyntax], at: Int) throws(ExpressionProblem) -> Compiled {
        switch name {
        case "has":
            return try has(arguments, at: at)
        case "duration":
            guard arguments.count == 1, case .string(let text, let textAt) = arguments[0] else {
                throw ExpressionProblem(offset: at, message: "duration takes one string literal, as duration('24h')")
            }
            guard let seconds = DurationText.seconds(text) else {
                throw ExpressionProblem(offset: textAt, message: "not a duration: write 90s, 15m, 24h or 7d")
            }
            return Compiled(type: .duration, evaluate: { _ in .duration(seconds) })
        case "size", "string", "abs":
            guard arguments.count == 1 else { throw ExpressionProblem(offset: at, message: "\(name) takes one argument") }
            return try method(try compile(arguments[0]), name, [], at: at)
        default:
            throw ExpressionProblem(offset: at, message: "unknown function \(name)")
        }
    }

    private func expectArguments(_ count: Int, _ arguments: [ExpressionSyntax], _ name: String, at: Int) throws(ExpressionProblem) {
        guard arguments.count == count else {
            throw ExpressionProblem(offset: at, message: "\(name) takes \(count == 0 ? "no" : String(count)) argument\(count == 1 ? "" : "s")")
        }
    }

    private mutating func method(_ receiver: Compiled, _ name: String, _ arguments: [ExpressionSyntax], at: Int) throws(ExpressionProblem) -> Compiled {
        let read = receiver.evaluate
        let type = receiver.type
        func refuse() -> ExpressionProblem {
            ExpressionProblem(offset: at, message: "\(name) does not apply to \(type)")
        }
        switch name {
        case "size":
            try expectArguments(0, arguments, name, at: at)
            if type == .string { return Compiled(type: .number, evaluate: { frame throws(EvaluationError) in .number(Double(try read(frame).stringValue().count)) }) }
            guard type.elementType != nil else { throw refuse() }
            return Compiled(type: .number, evaluate: { frame throws(EvaluationError) in .number(Double(try read(frame).elementCount())) })
        case "string", "abs":
            guard arguments.isEmpty else { throw ExpressionProblem(offset: at, message: "\(name) takes no arguments after the value") }
            return try valueFunction(read, type, name, at: at)
        case "max", "min", "sum", "avg", "median", "rising":
            try expectArguments(0, arguments, name, at: at)
            guard type.fits(.list(.number)), type.elementType != nil else { throw refuse() }
            let aggregate = Self.aggregate(name)
            return Compiled(type: name == "rising" ? .bool : .number, evaluate: { frame throws(EvaluationError) in
                var numbers: [Double] = []
                try read(frame).forEachElement(frame) { (value: Value) throws(EvaluationError) -> Bool in
                    numbers.append(try value.numberValue())
                    return true
                }
                return try aggregate(numbers)
            })
        case "last", "first":
            try expectArguments(1, arguments, name, at: at)
            guard type.elementType != nil else { throw refuse() }
            let count = try compile(arguments[0], expecting: .number).evaluate
            let fromEnd = name == "last"
            return Compiled(type: type, evaluate: { frame throws(EvaluationError) in
                let wanted = try count(frame).wholeNumber()
                guard wanted >= 0 else { throw EvaluationError(message: "\(name) takes a count of 0 or more") }
                let list = try read(frame)
                let total = try list.elementCount()
                let taken = Swift.min(wanted, total)
                let (lower, upper) = fromEnd ? (total - taken, total) : (0, taken)
                if case .history(let history) = list { return .history(history.slice(lower, upper)) }
                try frame.step(upper - lower)
                return .list(Array(try list.elements()[lower..<upper]))
            })
        case "reverse":
            try expectArguments(0, arguments, name, at: at)
            guard type.elementType != nil else { throw refuse() }
            return Compiled(type: type.listForm, evaluate: { frame throws(EvaluationError) in
                let values = try read(frame).elements()
                try frame.step(values.count)
                return .list(values.reversed())
            })
        case "distinct", "sort":
            try expectArguments(0, arguments, name, at: at)
            guard type == .list(.string) || type == .list(.number) else { throw refuse() }
            let sorting = name == "sort"
            return Compiled(type: type, evaluate: { frame throws(EvaluationError) in
                let values = try read(frame).elements()
                // Sorting and de-duplicating compare elements with each other: count that work.
                try frame.step(sorting ? values.count * max(1, values.count.bitWidth - values.count.leadingZeroBitCount) : values.count * values.count)
                if sorting { return .list(values.sorted { ($0.compare(to: $1) ?? 0) < 0 }) }
                var distinct: [Value] = []
                for value in values where !distinct.contains(where: { $0.isEqual(to: value, in: frame) }) { distinct.append(value) }
                return .list(distinct)
            })
        case "flatten":
            try expectArguments(0, arguments, name, at: at)
            guard case .list(let inner) = type, let element = inner.elementType else { throw refuse() }
            return Compiled(type: .list(element), evaluate: { frame throws(EvaluationError) in
                var flat: [Value] = []
                for list in try read(frame).elements() {
                    let elements = try list.elements()
                    try frame.step(elements.count)
                    flat += elements
                }
                return .list(flat)
            })
        case "join":
            try expectArguments(1, arguments, name, at: at)
            guard type.fits(.list(.string)), type.elementType != nil else { throw refuse() }
            let separator = try compile(arguments[0], expecting: .string).evaluate
            return Compiled(type: .string, evaluate: { frame throws(EvaluationError) in
                let glue = try separator(frame).stringValue()
                var texts: [String] = []
                let values = try read(frame).elements()
                try frame.step(values.count)
                for value in values { texts.append(try value.stringValue()) }
                return .string(texts.joined(separator: glue))
            })
        default:
            throw ExpressionProblem(offset: at, message: "unknown function \(name) for \(type)")
        }
    }

    private func valueFunction(_ read: @escaping Evaluator, _ type: ExpressionType, _ name: String, at: Int) throws(ExpressionProblem) -> Compiled {
        func refuse() -> ExpressionProblem {
            ExpressionProblem(offset: at, message: "\(name) does not apply to \(type)")
        }
        switch name {
        case "string":
            guard [.number, .string, .bool, .duration, .timestamp].contains(type) else { throw refuse() }
            return Compiled(type: .string, evaluate: { frame throws(EvaluationError) in .string(try read(frame).text(frame)) })
        case "abs":
            guard type == .number || type == .duration else { throw refuse() }
            return Compiled(type: type, evaluate: { frame throws(EvaluationError) in
                switch try read(frame) {
                case .number(let number): .number(Swift.abs(number))
                case .duration(let seconds): .duration(Swift.abs(seconds))
                default: throw EvaluationError(message: "internal: expected a number")
                }
            })
        default:
            throw refuse()
        }
    }

    private static func aggregate(_ name: String) -> @Sendable ([Double]) throws(EvaluationError) -> Value {
        switch name {
        case "sum": return { numbers in .number(numbers.reduce(0, +)) }
        case "rising": return { numbers in .bool(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }) }
        default:
            return { numbers throws(EvaluationError) in
                guard !numbers.isEmpty else { throw EvaluationError(message: "\(name) of an empty list") }
                switch name {
                case "max": return .number(numbers.max()!)
                case "min": return .number(numbers.min()!)
                case "avg": return .number(numbers.reduce(0, +) / Double(numbers.count))
                default:
                    let sorted = numbers.sorted()
                    let middle = sorted.count / 2
                    return .number(sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2)
                }
            }
        }
    }

    // MARK: Windowed functions

    /// `window(d)`: records in (t − d, t]; `before(d)`: in (t − d, t); `around(d)`: in [t − d, t + d], where t is
    /// the triggering event's time; `throughEvent()`: every record up to and including the triggering event.
    private mutating func windowFunction(_ read: @escaping Evaluator, _ kind: RecordKind, _ name: String, _ arguments: [ExpressionSyntax], at: Int) throws(ExpressionProblem) -> Compiled? {
        switch name {
        case "throughEvent":
            try expectArguments(0, arguments, name, at: at)
            return Compiled(type: .history(kind), evaluate: { frame throws(EvaluationError) in
                guard case .history(let history) = try read(frame) else { throw EvaluationError(message: "internal: expected a history") }
                return .history(history.slice(0, history.end(through: frame.eventRecord, in: frame)))
            })
        case "window", "before", "around":
            try expectArguments(1, arguments, name, at: at)
            let length = try windowLength(arguments[0])
            let compiledLength = try compile(arguments[0], expecting: .duration).evaluate
            windowLengths.append(length)
            return Compiled(type: .history(kind), evaluate: { frame throws(EvaluationError) in
                guard case .history(let history) = try read(frame) else { throw EvaluationError(message: "internal: expected a history") }
                let seconds = try compiledLength(frame).durationValue()
                let time = frame.event.time
                let (lower, upper) = history.bounds(name, time: time, seconds: seconds, in: frame)
                return .history(history.slice(lower, upper))
            })
        default:
            return nil
        }
    }

    /// A window's length must be known when the rule is configured, so that the engine keeps enough history.
    func windowLength(_ syntax: ExpressionSyntax) throws(ExpressionProblem) -> WindowLength {
        switch syntax {
        case .call(nil, "duration", let arguments, _):
            if arguments.count == 1, case .string(let text, _) = arguments[0], let seconds = DurationText.seconds(text) { return .seconds(seconds) }
        case .member(.identifier("params", _), let name, _):
            if let parameter = scope.parameters[name], parameter.type == .duration { return .parameter(parameter.index) }
        default:
            break
        }
        throw ExpressionProblem(offset: syntax.offset, message: "a window's length is a duration parameter or literal, as params.window or duration('24h')")
    }
}

extension HistoryList {
    /// One past the triggering event's own record, or past every record at or before its time when it is not in
    /// this list.
    func end(through event: Record, in frame: Frame) -> Int {
        let eventTime = frame.event.time
        let eventId = frame.event.id
        var offset = count
        while offset > 0 {
            let time = frame.time(self[offset - 1])
            if time < eventTime { break }
            if time == eventTime, kind == event.kind, frame.eventId(self[offset - 1]) == eventId { return offset }
            offset -= 1
        }
        var end = count
        while end > 0, frame.time(self[end - 1]) > eventTime { end -= 1 }
        return end
    }

    /// The bounds of a window around `time`, scanning from the newest record as windows are recent.
    func bounds(_ window: String, time: Date, seconds: TimeInterval, in frame: Frame) -> (Int, Int) {
        let (earliest, latest, includesEarliest, includesLatest): (Date, Date, Bool, Bool) =
            switch window {
            case "before": (time - seconds, time, false, false)
            case "around": (time - seconds, time + seconds, true, true)
            default: (time - seconds, time, false, true)
            }
        var upper = count
        while upper > 0, includesLatest ? frame.time(self[upper - 1]) > latest : frame.time(self[upper - 1]) >= latest { upper -= 1 }
        var lower = upper
        while lower > 0, includesEarliest ? frame.time(self[lower - 1]) >= earliest : frame.time(self[lower - 1]) > earliest { lower -= 1 }
        return (lower, upper)
    }
}

extension Value {
    /// How a value reads in a summary: numbers as a clinician writes them (`8`, `7.5`), durations in words
    /// (`24 h`, `7 days`), lists joined with commas.
    func text(_ frame: Frame) throws(EvaluationError) -> String {
        switch self {
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.compact
        case .string(let text): return text
        case .timestamp(let time): return RFC3339.format(time)
        case .duration(let seconds): return DurationWords.text(seconds)
        case .list, .history:
            var texts: [String] = []
            for element in try elements() { texts.append(try element.text(frame)) }
            return texts.joined(separator: ", ")
        case .record(let record): return "\(record.kind.name) \(frame.eventId(record))"
        case .object(let object, _): return object.rawValue
        }
    }
}

/// Durations in words, as the built-in rules write them: `6 h`, `72 h`, `7 days`, `30 min`.
enum DurationWords {
    static func text(_ seconds: TimeInterval) -> String {
        // Sums and differences of durations can exceed any literal: only whole numbers that fit are converted.
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds) s" }
        let day = 86_400.0
        // Whole days from a week up; shorter windows read better in hours (`72 h`).
        if seconds >= 7 * day, seconds.truncatingRemainder(dividingBy: day) == 0 { return "\(Int(seconds / day)) days" }
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600)) h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60)) min" }
        return "\(seconds.compact) s"
    }
}
