import Foundation

extension ExpressionCompiler {
    mutating func unary(_ op: UnaryOperator, _ operand: ExpressionSyntax, at: Int) throws(ExpressionProblem) -> Compiled {
        let compiled = try compile(operand)
        let evaluate = compiled.evaluate
        switch (op, compiled.type) {
        case (.not, .bool):
            if let known = compiled.constantBool { return .constant(.bool(!known), .bool) }
            let operand = compiled.boolEvaluator
            return Compiled(bool: { frame throws(EvaluationError) in !(try operand(frame)) })
        case (.negate, .number):
            return Compiled(type: .number, evaluate: { frame throws(EvaluationError) in .number(-(try evaluate(frame).numberValue())) })
        case (.negate, .duration):
            return Compiled(type: .duration, evaluate: { frame throws(EvaluationError) in .duration(-(try evaluate(frame).durationValue())) })
        default:
            throw ExpressionProblem(offset: at, message: "'\(op.rawValue)' does not apply to \(compiled.type)")
        }
    }

    mutating func binary(_ op: BinaryOperator, _ leftSyntax: ExpressionSyntax, _ rightSyntax: ExpressionSyntax, at: Int) throws(ExpressionProblem) -> Compiled {
        let left = try compile(leftSyntax)
        let right = try compile(rightSyntax)
        let l = left.evaluate
        let r = right.evaluate
        func refuse() -> ExpressionProblem {
            ExpressionProblem(offset: at, message: "'\(op.rawValue)' does not apply to \(left.type) and \(right.type)")
        }
        switch op {
        case .and, .or:
            guard left.type.fits(.bool), right.type.fits(.bool) else { throw refuse() }
            // Folding, with CEL's commutative semantics: a known deciding side decides; a known other side drops out.
            let deciding = op == .or
            if left.constantBool == deciding || right.constantBool == deciding { return .constant(.bool(deciding), .bool) }
            if left.constantBool == !deciding { return Self.asBool(right) }
            if right.constantBool == !deciding { return Self.asBool(left) }
            return Compiled(bool: Self.logical(decidingValue: deciding, left.boolEvaluator, right.boolEvaluator))
        case .equal, .notEqual:
            guard left.type.joined(with: right.type) != nil, left.type.isEquatable else { throw refuse() }
            let negate = op == .notEqual
            return Compiled(type: .bool, evaluate: { frame throws(EvaluationError) in
                .bool(try l(frame).isEqual(to: try r(frame), in: frame) != negate)
            })
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard left.type == right.type, [.number, .string, .timestamp, .duration].contains(left.type) else { throw refuse() }
            if left.type == .number { return Compiled(bool: Self.numberComparison(op, left.numberEvaluator, right.numberEvaluator)) }
            let accepts: @Sendable (Int) -> Bool =
                switch op {
                case .less: { $0 < 0 }
                case .lessOrEqual: { $0 <= 0 }
                case .greater: { $0 > 0 }
                default: { $0 >= 0 }
                }
            return Compiled(type: .bool, evaluate: { frame throws(EvaluationError) in
                // NaN is not ordered: every comparison with it is false.
                guard let order = try l(frame).compare(to: try r(frame)) else { return .bool(false) }
                return .bool(accepts(order))
            })
        case .in:
            guard let element = right.type.elementType, left.type.fits(element), left.type.isEquatable else { throw refuse() }
            return Compiled(type: .bool, evaluate: { frame throws(EvaluationError) in
                let needle = try l(frame)
                var found = false
                try r(frame).forEachElement(frame) { (value: Value) throws(EvaluationError) -> Bool in
                    found = value.isEqual(to: needle, in: frame)
                    return !found
                }
                return .bool(found)
            })
        case .add, .subtract:
            if left.type == .number, right.type == .number {
                let a = left.numberEvaluator
                let b = right.numberEvaluator
                let sum: NumberEvaluator =
                    if op == .add {
                        { frame throws(EvaluationError) in try a(frame) + b(frame) }
                    } else {
                        { frame throws(EvaluationError) in try a(frame) - b(frame) }
                    }
                return Compiled(number: sum)
            }
            guard let sum = additive(op, left.type, right.type, l, r) else { throw refuse() }
            return sum
        case .multiply, .divide, .remainder:
            guard left.type == .number, right.type == .number else { throw refuse() }
            return Compiled(type: .number, evaluate: { frame throws(EvaluationError) in
                let a = try l(frame).numberValue()
                let b = try r(frame).numberValue()
                switch op {
                case .multiply: return .number(a * b)
                case .divide:
                    guard b != 0 else { throw EvaluationError(message: "division by zero") }
                    return .number(a / b)
                default:
                    guard b != 0 else { throw EvaluationError(message: "remainder of a division by zero") }
                    return .number(a.truncatingRemainder(dividingBy: b))
                }
            })
        }
    }

    /// Numbers compared directly, the commonest condition (`score >= threshold`); NaN compares false, as above.
    private static func numberComparison(_ op: BinaryOperator, _ l: @escaping NumberEvaluator, _ r: @escaping NumberEvaluator) -> BoolEvaluator {
        switch op {
        case .less: { frame throws(EvaluationError) in try l(frame) < r(frame) }
        case .lessOrEqual: { frame throws(EvaluationError) in try l(frame) <= r(frame) }
        case .greater: { frame throws(EvaluationError) in try l(frame) > r(frame) }
        default: { frame throws(EvaluationError) in try l(frame) >= r(frame) }
        }
    }

    /// One side of `&&` or `||` on its own, typed as the operator's result.
    private static func asBool(_ side: Compiled) -> Compiled {
        var compiled = side
        compiled.type = .bool
        return compiled
    }

    /// CEL's commutative `&&` and `||`: a side that decides the result wins even when the other side fails.
    private static func logical(decidingValue: Bool, _ l: @escaping BoolEvaluator, _ r: @escaping BoolEvaluator) -> BoolEvaluator {
        { frame throws(EvaluationError) in
            var failure: EvaluationError?
            do throws(EvaluationError) {
                if try l(frame) == decidingValue { return decidingValue }
            } catch {
                failure = error
            }
            if try r(frame) == decidingValue { return decidingValue }
            if let failure { throw failure }
            return !decidingValue
        }
    }

    private func additive(_ op: BinaryOperator, _ left: ExpressionType, _ right: ExpressionType, _ l: @escaping Evaluator, _ r: @escaping Evaluator) -> Compiled? {
        let adding = op == .add
        // Numbers are summed by `binary`, as typed closures.
        switch (left, right) {
        case (.duration, .duration):
            return Compiled(type: .duration, evaluate: { frame throws(EvaluationError) in
                let a = try l(frame).durationValue()
                let b = try r(frame).durationValue()
                return .duration(adding ? a + b : a - b)
            })
        case (.timestamp, .duration):
            return Compiled(type: .timestamp, evaluate: { frame throws(EvaluationError) in
                guard case .timestamp(let time) = try l(frame) else { throw EvaluationError(message: "internal: expected a timestamp") }
                let seconds = try r(frame).durationValue()
                return .timestamp(time.addingTimeInterval(adding ? seconds : -seconds))
            })
        case (.duration, .timestamp) where adding:
            return additive(op, right, left, r, l)
        case (.timestamp, .timestamp) where !adding:
            return Compiled(type: .duration, evaluate: { frame throws(EvaluationError) in
                guard case .timestamp(let a) = try l(frame), case .timestamp(let b) = try r(frame) else {
                    throw EvaluationError(message: "internal: expected timestamps")
                }
                return .duration(a.timeIntervalSince(b))
            })
        case (.string, .string) where adding:
            return Compiled(type: .string, evaluate: { frame throws(EvaluationError) in
                .string(try l(frame).stringValue() + r(frame).stringValue())
            })
        case (_, _) where adding && left.elementType != nil && right.elementType != nil:
            guard let joined = left.joined(with: right), case .list = joined.listForm else { return nil }
            return Compiled(type: joined.listForm, evaluate: { frame throws(EvaluationError) in
                let joinedList = try l(frame).elements() + r(frame).elements()
                try frame.step(joinedList.count)
                return .list(joinedList)
            })
        default:
            return nil
        }
    }
}

extension ExpressionType {
    /// Whether `==` applies: everything but objects (compare their fields).
    var isEquatable: Bool {
        if case .object = self { return false }
        return true
    }

    /// A history as the plain list of its records; other types as they are.
    var listForm: ExpressionType {
        if case .history(let kind) = self { return .list(.record(RecordKinds(kind))) }
        return self
    }
}
