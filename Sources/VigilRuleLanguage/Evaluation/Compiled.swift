/// A type-checked expression and the closure that evaluates it.
///
/// Booleans and numbers may also have a typed closure (`bool`, `number`) that skips the `Value` enum: conditions
/// are trees of comparisons and `&&`/`||` over numbers, and each node wrapping and unwrapping a `Value` cost more
/// than the comparison itself. `boolEvaluator` and `numberEvaluator` give the typed form, or adapt `evaluate`.
struct Compiled: Sendable {
    var type: ExpressionType
    var evaluate: Evaluator
    /// The value, when it is known without an event: a literal, or what folding made of one.
    var constant: Value?
    var bool: BoolEvaluator?
    var number: NumberEvaluator?
    /// A read of a parameter or of the triggering event's field: cheaper to repeat than a `let` binding's cache,
    /// so a `let` bound to one is read in place (`CompilerScope.Binding.inline`).
    var isDirectRead = false

    init(type: ExpressionType, evaluate: @escaping Evaluator, constant: Value? = nil) {
        self.type = type
        self.evaluate = evaluate
        self.constant = constant
    }

    init(bool: @escaping BoolEvaluator) {
        self.init(type: .bool, evaluate: { frame throws(EvaluationError) in .bool(try bool(frame)) })
        self.bool = bool
    }

    init(number: @escaping NumberEvaluator) {
        self.init(type: .number, evaluate: { frame throws(EvaluationError) in .number(try number(frame)) })
        self.number = number
    }

    static func constant(_ value: Value, _ type: ExpressionType) -> Compiled {
        var compiled = Compiled(type: type, evaluate: { _ in value }, constant: value)
        switch value {
        case .bool(let flag): compiled.bool = { _ in flag }
        case .number(let number): compiled.number = { _ in number }
        default: break
        }
        return compiled
    }

    var constantBool: Bool? {
        if case .bool(let flag) = constant { return flag }
        return nil
    }

    /// The expression as a typed boolean closure; the checker has proved its type is `bool`.
    var boolEvaluator: BoolEvaluator {
        if let bool { return bool }
        let evaluate = evaluate
        return { frame throws(EvaluationError) in try evaluate(frame).boolValue() }
    }

    /// The expression as a typed number closure; the checker has proved its type is `number`.
    var numberEvaluator: NumberEvaluator {
        if let number { return number }
        let evaluate = evaluate
        return { frame throws(EvaluationError) in try evaluate(frame).numberValue() }
    }
}

/// Where a windowed function's length comes from; the rule keeps that much history (its `lookback`).
enum WindowLength: Sendable, Equatable {
    case seconds(Double)
    case parameter(Int)
}

/// The names an expression can read, besides the built-in ones (`event`, `patient`, `cravings`, `checkins`,
/// `appointments`, `params`).
struct CompilerScope: Sendable {
    struct Binding: Sendable {
        var index: Int
        var type: ExpressionType
        /// A `let` whose value folded to a constant is used as that constant.
        var constant: Value?
        /// A `let` bound to a direct read (`Compiled.isDirectRead`) is compiled in place of each use.
        var inline: Compiled?
    }

    /// The record kinds of the events the rule fires on.
    var eventKinds: RecordKinds
    /// False for parameter checks, which run when the rule is configured, with no event or history to read.
    var readsPatientData = true
    /// Compiling for events of one kind only (after the rule type-checked for all its kinds): a field that kind
    /// lacks is known absent, so `has` of it is false and the conditions around it fold away.
    var isSpecialized = false
    var parameters: [String: Binding] = [:]
    var lets: [String: Binding] = [:]
    /// Comprehension variables, innermost last; `index` is the variable's slot in the frame.
    var variables: [(name: String, binding: Binding)] = []

    func variable(_ name: String) -> Binding? {
        variables.last { $0.name == name }?.binding
    }
}
