import Foundation
import Testing
import VigilCore
@testable import VigilRuleLanguage

/// Compiles an expression as a rule file's compiler does and evaluates it on one event as `FileRule` does: the
/// patient's history holds the event, parameters are configured values read as `params.NAME`.
struct ExpressionHarness: Sendable {
    var event: PatientEvent
    /// Recorded before the event arrives, in this order.
    var before: [PatientEvent]
    /// Recorded after the event, in this order (late arrivals, or events at the same instant that came later).
    var after: [PatientEvent]
    /// The record kinds of the events the rule fires on; the event's own kind when not given.
    var eventKinds: RecordKinds
    var parameters: [(name: String, value: Value)]

    init(
        event: PatientEvent = Make.craving(5), before: [PatientEvent] = [], after: [PatientEvent] = [],
        eventKinds: RecordKinds? = nil, parameters: [(name: String, value: Value)] = []
    ) {
        self.event = event
        self.before = before
        self.after = after
        self.eventKinds = eventKinds ?? RecordKinds(RecordKind(event)!)
        self.parameters = parameters
    }

    /// A compiler that has compiled `text` (its window lengths and variable slots are the expression's).
    func compile(_ text: String) throws(ExpressionProblem) -> (compiler: ExpressionCompiler, compiled: Compiled) {
        var scope = CompilerScope(eventKinds: eventKinds)
        for (index, parameter) in parameters.enumerated() {
            scope.parameters[parameter.name] = .init(index: index, type: Self.parameterType(of: parameter.value))
        }
        var compiler = ExpressionCompiler(scope: scope)
        let compiled = try compiler.compile(text)
        return (compiler, compiled)
    }

    func evaluate(_ text: String) throws(ExpressionProblem) -> Result<Value, EvaluationError> {
        let (compiler, compiled) = try compile(text)
        func makeFrame() -> Frame {
            Frame(
                event: event, eventKind: RecordKind(event)!, history: Make.history(before + [event] + after),
                parameters: parameters.map { $0.value }, lets: [], variableSlots: max(compiler.variableSlots, 1)
            )
        }
        let frame = makeFrame()
        let result: Result<Value, EvaluationError>
        do throws(EvaluationError) {
            result = .success(try compiled.evaluate(frame).resolved(in: frame))
        } catch {
            result = .failure(error)
        }
        // A frame of its own: the first evaluation spent some of this frame's step budget.
        Self.expectTypedFormAgrees(compiled, makeFrame(), result)
        return result
    }

    /// Conditions run through the typed closures (`Compiled.boolEvaluator`, `numberEvaluator`): every expression a
    /// test evaluates must give the same there, value or failure.
    private static func expectTypedFormAgrees(_ compiled: Compiled, _ frame: Frame, _ result: Result<Value, EvaluationError>) {
        func typed<T: Equatable>(_ evaluate: () throws(EvaluationError) -> T, _ expected: T?) {
            do throws(EvaluationError) {
                let value = try evaluate()
                #expect(value == expected, "typed form gave \(value), the value form \(String(describing: expected))")
            } catch {
                #expect(expected == nil, "typed form failed (\(error.message)) where the value form did not")
            }
        }
        switch compiled.type {
        case .bool:
            let expected: Bool? = if case .success(.bool(let flag)) = result { flag } else { nil }
            typed({ () throws(EvaluationError) in try compiled.boolEvaluator(frame) }, expected)
        case .number:
            let expected: Double? = if case .success(.number(let number)) = result { number } else { nil }
            if expected?.isNaN == true { return }
            typed({ () throws(EvaluationError) in try compiled.numberEvaluator(frame) }, expected)
        default:
            break
        }
    }

    /// The value of `text`; throws its problem (`ExpressionProblem`) or its evaluation error (`EvaluationError`).
    func value(_ text: String) throws -> PlainValue {
        try evaluate(text).get().plain
    }

    /// Why `text` has no value for the event, or nil when it has one; throws its problem if it does not compile.
    func failure(_ text: String) throws -> EvaluationError? {
        switch try evaluate(text) {
        case .success: nil
        case .failure(let error): error
        }
    }

    /// The problem that stops `text` from compiling, or nil when it compiles.
    func problem(_ text: String) -> ExpressionProblem? {
        do throws(ExpressionProblem) {
            _ = try compile(text)
            return nil
        } catch {
            return error
        }
    }

    private static func parameterType(of value: Value) -> ExpressionType {
        switch value {
        case .number: .number
        case .duration: .duration
        case .bool: .bool
        case .string: .string
        default: .list(.string)
        }
    }
}

/// The UTF-8 offset of the `occurrence`-th `needle` in `text`: where an expression problem is expected.
func byteOffset(of needle: String, in text: String, occurrence: Int = 1) -> Int {
    var searchFrom = text.startIndex
    var found: Range<String.Index>?
    for _ in 0..<occurrence {
        guard let range = text.range(of: needle, range: searchFrom..<text.endIndex) else { return -1 }
        found = range
        searchFrom = range.upperBound
    }
    return found.map { text.utf8.distance(from: text.utf8.startIndex, to: $0.lowerBound) } ?? -1
}

/// A run-time value as plain data, so that tests compare values with `==` and literals: `[1, 2]`, `true`, `'a'`.
enum PlainValue: Equatable, CustomStringConvertible, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral
{
    case bool(Bool)
    case number(Double)
    case string(String)
    case timestamp(Date)
    case duration(TimeInterval)
    case list([PlainValue])
    /// A record (the event or one of the history), by its event id.
    case record(String)
    /// A record's `data` or an object inside it, by its kind.
    case object(String)

    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(floatLiteral value: Double) { self = .number(value) }
    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: PlainValue...) { self = .list(elements) }

    /// A list of records, by their event ids.
    static func records(_ ids: String...) -> PlainValue { .list(ids.map(PlainValue.record)) }

    var description: String {
        switch self {
        case .bool(let flag): "\(flag)"
        case .number(let number): number.compact
        case .string(let text): "'\(text)'"
        case .timestamp(let time): "timestamp(\(time.timeIntervalSince1970))"
        case .duration(let seconds): "duration(\(seconds.compact)s)"
        case .list(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        case .record(let id): "record(\(id))"
        case .object(let kind): "object(\(kind))"
        }
    }
}

extension Value {
    /// The value with its records resolved to their event ids, while the frame that can read them is alive.
    func resolved(in frame: Frame) -> Value {
        switch self {
        case .history(let history): .list((0..<history.count).map { Value.record(history[$0]).resolved(in: frame) })
        case .list(let values): .list(values.map { $0.resolved(in: frame) })
        case .record(let record): .string("record:" + frame.eventId(record))
        default: self
        }
    }

    var plain: PlainValue {
        switch self {
        case .bool(let flag): .bool(flag)
        case .number(let number): .number(number)
        case .string(let text) where text.hasPrefix("record:"): .record(String(text.dropFirst("record:".count)))
        case .string(let text): .string(text)
        case .timestamp(let time): .timestamp(time)
        case .duration(let seconds): .duration(seconds)
        case .list(let values): .list(values.map(\.plain))
        case .history, .record: .string("unresolved record")
        case .object(let kind, _): .object(kind.rawValue)
        }
    }
}
