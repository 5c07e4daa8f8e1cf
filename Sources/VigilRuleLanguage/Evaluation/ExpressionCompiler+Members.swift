import Foundation
import VigilCore

extension ExpressionCompiler {
    mutating func member(_ targetSyntax: ExpressionSyntax, _ name: String, at: Int) throws(ExpressionProblem) -> Compiled {
        if case .identifier("params", _) = targetSyntax {
            guard let parameter = scope.parameters[name] else {
                throw ExpressionProblem(offset: at, message: "unknown parameter \(name); declare it under parameters")
            }
            let index = parameter.index
            var compiled = Compiled(type: parameter.type, evaluate: { frame in frame.parameters[index] })
            if parameter.type == .number { compiled.number = { frame throws(EvaluationError) in try frame.parameters[index].numberValue() } }
            compiled.isDirectRead = true
            return compiled
        }
        if case .identifier("patient", _) = targetSyntax {
            guard scope.readsPatientData else {
                throw ExpressionProblem(offset: at, message: "a check reads only params: it runs when the rule is configured, before any event")
            }
            guard name == "checkinEveryHours" else {
                throw ExpressionProblem(offset: at, message: "patient has one field, checkinEveryHours")
            }
            return Compiled(type: .number, evaluate: { frame in .number(frame.history.checkinEveryHours) })
        }
        let target = try compile(targetSyntax)
        let read = target.evaluate
        // `event.data.x`, the commonest read: straight to the field, without building the record and data values.
        if isEventData(targetSyntax), case .object(.data, let kinds) = target.type {
            let (field, reader) = try Self.field(name, of: .data, kinds: kinds, specialized: scope.isSpecialized, at: at)
            var compiled = Compiled(type: field.type, evaluate: { frame throws(EvaluationError) in
                guard let value = reader(frame, frame.eventRecord) else { throw EvaluationError(message: "no field \(name)") }
                return value
            })
            if field.type == .number {
                compiled.number = { frame throws(EvaluationError) in
                    guard case .number(let number)? = reader(frame, frame.eventRecord) else { throw EvaluationError(message: "no field \(name)") }
                    return number
                }
            } else if field.type == .bool {
                compiled.bool = { frame throws(EvaluationError) in
                    guard case .bool(let flag)? = reader(frame, frame.eventRecord) else { throw EvaluationError(message: "no field \(name)") }
                    return flag
                }
            }
            compiled.isDirectRead = true
            return compiled
        }
        switch target.type {
        case .record(let kinds):
            switch name {
            case "id": return Compiled(type: .string, evaluate: { frame throws(EvaluationError) in .string(frame.eventId(try read(frame).recordValue())) })
            case "time": return Compiled(type: .timestamp, evaluate: { frame throws(EvaluationError) in .timestamp(frame.time(try read(frame).recordValue())) })
            case "type": return Compiled(type: .string, evaluate: { frame throws(EvaluationError) in .string(try read(frame).recordValue().kind.eventType) })
            case "data": return Compiled(type: .object(.data, kinds), evaluate: { frame throws(EvaluationError) in .object(.data, try read(frame).recordValue()) })
            default: throw ExpressionProblem(offset: at, message: "a record has id, time, type and data, not \(name)")
            }
        case .object(let object, let kinds):
            let (field, reader) = try Self.field(name, of: object, kinds: kinds, specialized: scope.isSpecialized, at: at)
            return Compiled(type: field.type, evaluate: { frame throws(EvaluationError) in
                guard case .object(_, let record) = try read(frame) else { throw EvaluationError(message: "internal: expected an object") }
                guard let value = reader(frame, record) else { throw EvaluationError(message: "no field \(name)") }
                return value
            })
        default:
            throw ExpressionProblem(offset: at, message: "\(target.type) has no fields")
        }
    }

    /// `has(x.field)`: whether an optional field is present (CEL's `has` macro).
    mutating func has(_ arguments: [ExpressionSyntax], at: Int) throws(ExpressionProblem) -> Compiled {
        guard arguments.count == 1, case .member(let targetSyntax, let name, let fieldAt) = arguments[0] else {
            throw ExpressionProblem(offset: at, message: "has takes one field selection, as has(event.data.mood)")
        }
        let target = try compile(targetSyntax)
        guard case .object(let object, let kinds) = target.type else {
            throw ExpressionProblem(offset: fieldAt, message: "has applies to a field of data, not of \(target.type)")
        }
        let (field, reader) = try Self.field(name, of: object, kinds: kinds, specialized: scope.isSpecialized, at: fieldAt)
        if scope.isSpecialized, field.kinds.isDisjoint(with: kinds) { return .constant(.bool(false), .bool) }
        if isEventData(targetSyntax) {
            var compiled = Compiled(bool: { frame in reader(frame, frame.eventRecord) != nil })
            compiled.isDirectRead = true
            return compiled
        }
        let read = target.evaluate
        return Compiled(type: .bool, evaluate: { frame throws(EvaluationError) in
            guard case .object(_, let record) = try read(frame) else { throw EvaluationError(message: "internal: expected an object") }
            return .bool(reader(frame, record) != nil)
        })
    }

    typealias FieldReader = @Sendable (Frame, Record) -> Value?

    /// Whether `syntax` is `event.data` (no binding or variable can be named `event`).
    private func isEventData(_ syntax: ExpressionSyntax) -> Bool {
        if case .member(.identifier("event", _), "data", _) = syntax { return true }
        return false
    }

    /// The schema of a field and a reader for it; a field that some of the record kinds lack reads as absent there.
    private static func field(_ name: String, of object: ObjectKind, kinds: RecordKinds, specialized: Bool, at: Int) throws(ExpressionProblem) -> (ObjectKind.Field, FieldReader) {
        if specialized, let field = object.field(name), field.kinds.isDisjoint(with: kinds) { return (field, { _, _ in nil }) }
        guard let field = object.field(name), !field.kinds.isDisjoint(with: kinds), let reader = reader(object, name) else {
            throw ExpressionProblem(offset: at, message: "\(object.rawValue) of \(kinds.names) has no field \(name)")
        }
        return (field, reader)
    }

    private static func reader(_ object: ObjectKind, _ name: String) -> FieldReader? {
        func checkin(_ read: @escaping @Sendable (Checkin) -> Value?) -> FieldReader {
            { frame, record in frame.checkin(record).flatMap(read) }
        }
        switch (object, name) {
        case (.data, "score"): return { frame, record in frame.cravingScore(record).map(Value.number) }
        case (.data, "substance"): return { frame, record in frame.cravingSubstance(record).map(Value.string) }
        case (.data, "status"): return { frame, record in frame.appointmentStatus(record).map { .string($0.rawValue) } }
        case (.data, "mood"): return checkin { $0.mood.map { .number(Double($0)) } }
        case (.data, "stress"): return checkin { $0.stress.map { .number(Double($0)) } }
        case (.data, "sleepHours"): return checkin { $0.sleepHours.map { .number($0) } }
        case (.data, "phq9Item9"): return checkin { $0.phq9Item9.map { .number(Double($0)) } }
        case (.data, "cueExposure"): return checkin { $0.cueExposure.map { .bool($0) } }
        case (.data, "helpRequested"): return checkin { $0.helpRequested.map { .bool($0) } }
        case (.data, "substanceUse"): return { frame, record in frame.checkin(record)?.substanceUse == nil ? nil : .object(.substanceUse, record) }
        case (.data, "withdrawal"): return { frame, record in frame.checkin(record)?.withdrawal == nil ? nil : .object(.withdrawal, record) }
        case (.substanceUse, "used"): return checkin { $0.substanceUse.map { .bool($0.used) } }
        case (.substanceUse, "substances"): return checkin { $0.substanceUse.map { .list($0.substances.map(Value.string)) } }
        case (.withdrawal, "scale"): return checkin { $0.withdrawal.map { .string($0.scale.rawValue) } }
        case (.withdrawal, "score"): return checkin { $0.withdrawal.map { .number($0.score) } }
        case (.withdrawal, "complicated"): return checkin { $0.withdrawal.map { .bool($0.complicated) } }
        default: return nil
        }
    }
}
