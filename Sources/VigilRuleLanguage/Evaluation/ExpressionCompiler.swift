/// Builds evaluators from syntax, checking types as it goes; the first problem of an expression stops it.
struct ExpressionCompiler {
    var scope: CompilerScope
    /// Every window length the expressions use, for the rule's lookback.
    var windowLengths: [WindowLength] = []
    /// The frame's variable slots: one past the highest slot any comprehension used.
    var variableSlots = 0
    /// Where this expression's comprehension slots start: each `let` binding gets a range of its own, so that one
    /// first evaluated inside a comprehension never overwrites that comprehension's variable.
    var slotBase = 0
    /// Reads of a history other than as the receiver of `window`, `before` or `around`: the rule must then declare
    /// its `lookback`, since no window says how much history it needs.
    var unwindowedHistoryReads = 0
    /// Nested comprehensions cost the product of their lists' lengths; this bounds the product's degree.
    static let maximumComprehensionDepth = 3

    init(scope: CompilerScope) {
        self.scope = scope
    }

    mutating func compile(_ text: String) throws(ExpressionProblem) -> Compiled {
        try compile(try ExpressionParser.parse(text))
    }

    mutating func compile(_ syntax: ExpressionSyntax, expecting expected: ExpressionType) throws(ExpressionProblem) -> Compiled {
        let compiled = try compile(syntax)
        guard compiled.type.fits(expected) else {
            throw ExpressionProblem(offset: syntax.offset, message: "expected \(expected), found \(compiled.type)")
        }
        return compiled
    }

    mutating func compile(_ syntax: ExpressionSyntax) throws(ExpressionProblem) -> Compiled {
        switch syntax {
        case .number(let value, _):
            return .constant(.number(value), .number)
        case .string(let text, _):
            return .constant(.string(text), .string)
        case .bool(let flag, _):
            return .constant(.bool(flag), .bool)
        case .identifier(let name, let at):
            return try identifier(name, at: at)
        case .list(let elements, let at):
            return try list(elements, at: at)
        case .member(let target, let name, let at):
            return try member(target, name, at: at)
        case .index(let target, let index, let at):
            return try self.index(target, index, at: at)
        case .call(let target, let name, let arguments, let at):
            return try call(target, name, arguments, at: at)
        case .unary(let op, let operand, let at):
            return try unary(op, operand, at: at)
        case .binary(let op, let left, let right, let at):
            return try binary(op, left, right, at: at)
        case .conditional(let condition, let then, let otherwise, let at):
            return try conditional(condition, then, otherwise, at: at)
        }
    }

    private mutating func identifier(_ name: String, at: Int) throws(ExpressionProblem) -> Compiled {
        if let variable = scope.variable(name) {
            let slot = variable.index
            return Compiled(type: variable.type, evaluate: { frame in frame.variables[slot] })
        }
        if let binding = scope.lets[name] {
            if let constant = binding.constant { return .constant(constant, binding.type) }
            if let inline = binding.inline { return inline }
            let index = binding.index
            return Compiled(type: binding.type, evaluate: { frame throws(EvaluationError) in try frame.binding(index) })
        }
        if !scope.readsPatientData, Self.builtinNames.contains(name), name != "params" {
            throw ExpressionProblem(offset: at, message: "a check reads only params: it runs when the rule is configured, before any event")
        }
        switch name {
        case "event":
            return Compiled(type: .record(scope.eventKinds), evaluate: { frame in .record(frame.eventRecord) })
        case "cravings", "checkins", "appointments":
            unwindowedHistoryReads += 1
            let kind: RecordKind = name == "cravings" ? .craving : name == "checkins" ? .checkin : .appointment
            return Compiled(type: .history(kind), evaluate: { frame in .history(frame.all(kind)) })
        case "params", "patient":
            throw ExpressionProblem(offset: at, message: "\(name) has no value of its own: read one of its fields, as \(name).\(name == "params" ? "threshold" : "checkinEveryHours")")
        default:
            throw ExpressionProblem(offset: at, message: "unknown name \(name)")
        }
    }

    private mutating func list(_ elements: [ExpressionSyntax], at: Int) throws(ExpressionProblem) -> Compiled {
        var type = ExpressionType.any
        var evaluators: [Evaluator] = []
        for element in elements {
            let compiled = try compile(element)
            guard let joined = type.joined(with: compiled.type) else {
                throw ExpressionProblem(offset: element.offset, message: "list elements must have one type: \(type) and \(compiled.type)")
            }
            type = joined
            evaluators.append(compiled.evaluate)
        }
        let elementEvaluators = evaluators
        return Compiled(type: .list(type), evaluate: { frame throws(EvaluationError) in
            var values: [Value] = []
            values.reserveCapacity(elementEvaluators.count)
            for evaluator in elementEvaluators { values.append(try evaluator(frame)) }
            return .list(values)
        })
    }

    private mutating func index(_ target: ExpressionSyntax, _ index: ExpressionSyntax, at: Int) throws(ExpressionProblem) -> Compiled {
        let list = try compile(target)
        guard let element = list.type.elementType else {
            throw ExpressionProblem(offset: at, message: "only a list can be indexed, not \(list.type)")
        }
        let position = try compile(index, expecting: .number)
        let listEvaluator = list.evaluate
        let positionEvaluator = position.evaluate
        return Compiled(type: element, evaluate: { frame throws(EvaluationError) in
            let offset = try positionEvaluator(frame).wholeNumber()
            return try Value.element(of: try listEvaluator(frame), at: offset)
        })
    }

    private mutating func conditional(_ condition: ExpressionSyntax, _ then: ExpressionSyntax, _ otherwise: ExpressionSyntax, at: Int) throws(ExpressionProblem) -> Compiled {
        let compiledTest = try compile(condition, expecting: .bool)
        let test = compiledTest.evaluate
        let first = try compile(then)
        let second = try compile(otherwise)
        guard let type = first.type.joined(with: second.type) else {
            throw ExpressionProblem(offset: at, message: "the branches of ? : must have one type: \(first.type) and \(second.type)")
        }
        if let known = compiledTest.constantBool {
            var chosen = known ? first : second
            chosen.type = type
            return chosen
        }
        let thenEvaluator = first.evaluate
        let otherwiseEvaluator = second.evaluate
        return Compiled(type: type, evaluate: { frame throws(EvaluationError) in
            try test(frame).boolValue() ? try thenEvaluator(frame) : try otherwiseEvaluator(frame)
        })
    }

    /// The names the language gives meaning to; no binding or variable may take them.
    static let builtinNames: Set<String> = ["event", "cravings", "checkins", "appointments", "params", "patient"]

    /// Whether `name` can be a parameter, `let` or variable name: an identifier that is not reserved or built in.
    static func isDeclarableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else { return false }
        return !ExpressionParser.reserved.contains(name) && !["true", "false"].contains(name) && !builtinNames.contains(name)
    }

    /// Compiles `body` with a comprehension variable bound to `type`; returns its slot.
    mutating func withVariable<T>(_ name: String, _ type: ExpressionType, at: Int, _ body: (inout ExpressionCompiler, Int) throws(ExpressionProblem) -> T) throws(ExpressionProblem) -> T {
        guard scope.variables.count < Self.maximumComprehensionDepth else {
            throw ExpressionProblem(offset: at, message: "comprehensions nest at most \(Self.maximumComprehensionDepth) deep")
        }
        guard scope.variable(name) == nil, scope.lets[name] == nil, !Self.builtinNames.contains(name) else {
            throw ExpressionProblem(offset: at, message: "\(name) is already a name here; choose another variable name")
        }
        let slot = slotBase + scope.variables.count
        scope.variables.append((name, .init(index: slot, type: type)))
        variableSlots = max(variableSlots, slot + 1)
        defer { scope.variables.removeLast() }
        return try body(&self, slot)
    }
}
