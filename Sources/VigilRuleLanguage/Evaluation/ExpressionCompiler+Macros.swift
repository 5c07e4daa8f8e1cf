/// CEL's comprehension macros over a list (`all`, `exists`, `filter`, `map`) and Vigil's (`count`, `maxBy`,
/// `minBy`, `sinceLast`): `list.name(x, expression of x)`. They are the language's only iteration; each visits a
/// list once, so a rule's cost is bounded by its expression's size and the history's length (docs/RULE-LANGUAGE.md).
extension ExpressionCompiler {
    static let macros: Set<String> = ["all", "exists", "filter", "map", "count", "maxBy", "minBy", "sinceLast"]

    mutating func macro(_ targetSyntax: ExpressionSyntax, _ name: String, _ arguments: [ExpressionSyntax], at: Int) throws(ExpressionProblem) -> Compiled {
        guard arguments.count == 2, case .identifier(let variable, let variableAt) = arguments[0] else {
            throw ExpressionProblem(offset: at, message: "\(name) takes a variable name and an expression, as \(name)(c, c.data.score >= 8)")
        }
        let target = try compile(targetSyntax)
        guard let element = target.type.elementType else {
            throw ExpressionProblem(offset: at, message: "\(name) applies to a list, not \(target.type)")
        }
        let expected: ExpressionType? =
            switch name {
            case "map": nil
            case "maxBy", "minBy": nil
            default: .bool
            }
        let (body, slot) = try withVariable(variable, element, at: variableAt) { (compiler: inout ExpressionCompiler, slot: Int) throws(ExpressionProblem) in
            let body = if let expected { try compiler.compile(arguments[1], expecting: expected) } else { try compiler.compile(arguments[1]) }
            return (body, slot)
        }
        if name == "maxBy" || name == "minBy", ![.number, .duration, .timestamp, .string].contains(body.type) {
            throw ExpressionProblem(offset: arguments[1].offset, message: "\(name) needs a number, duration, timestamp or string to compare, not \(body.type)")
        }
        let list = target.evaluate
        let evaluate = body.evaluate
        switch name {
        case "all", "exists":
            let deciding = name == "exists"
            return Compiled(type: .bool, evaluate: { frame throws(EvaluationError) in
                var result = !deciding
                try list(frame).forEachElement(frame) { (value: Value) throws(EvaluationError) -> Bool in
                    frame.variables[slot] = value
                    if try evaluate(frame).boolValue() == deciding { result = deciding }
                    return result != deciding
                }
                return .bool(result)
            })
        case "filter", "count":
            let counting = name == "count"
            return Compiled(type: counting ? .number : target.type.listForm, evaluate: { frame throws(EvaluationError) in
                var kept: [Value] = []
                var count = 0
                try list(frame).forEachElement(frame) { (value: Value) throws(EvaluationError) -> Bool in
                    frame.variables[slot] = value
                    if try evaluate(frame).boolValue() {
                        count += 1
                        if !counting { kept.append(value) }
                    }
                    return true
                }
                return counting ? .number(Double(count)) : .list(kept)
            })
        case "map":
            return Compiled(type: .list(body.type), evaluate: { frame throws(EvaluationError) in
                var mapped: [Value] = []
                try list(frame).forEachElement(frame) { (value: Value) throws(EvaluationError) -> Bool in
                    frame.variables[slot] = value
                    mapped.append(try evaluate(frame))
                    return true
                }
                return .list(mapped)
            })
        case "maxBy", "minBy":
            // The element with the largest (smallest) key; on a tie the last, which in a history is the newest.
            let largest = name == "maxBy"
            return Compiled(type: element, evaluate: { frame throws(EvaluationError) in
                var best: (value: Value, key: Value)?
                try list(frame).forEachElement(frame) { (value: Value) throws(EvaluationError) -> Bool in
                    frame.variables[slot] = value
                    let key = try evaluate(frame)
                    // A key not ordered even with itself (NaN) never wins.
                    guard key.compare(to: key) != nil else { return true }
                    if let current = best?.key {
                        // NaN keys are not ordered: they never win.
                        guard let order = key.compare(to: current) else { return true }
                        if largest ? order < 0 : order > 0 { return true }
                    }
                    best = (value, key)
                    return true
                }
                guard let best else { throw EvaluationError(message: "\(name) of an empty list") }
                return best.value
            })
        default:
            // sinceLast: the elements after the last one for which the expression holds (all when none does).
            return Compiled(type: target.type, evaluate: { frame throws(EvaluationError) in
                let values = try list(frame)
                var start = 0
                var offset = 0
                try values.forEachElement(frame) { (value: Value) throws(EvaluationError) -> Bool in
                    frame.variables[slot] = value
                    offset += 1
                    if try evaluate(frame).boolValue() { start = offset }
                    return true
                }
                if case .history(let history) = values { return .history(history.slice(start, history.count)) }
                return .list(Array(try values.elements()[start...]))
            })
        }
    }
}
