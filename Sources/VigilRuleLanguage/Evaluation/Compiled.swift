/// A type-checked expression and the closure that evaluates it.
struct Compiled: Sendable {
    var type: ExpressionType
    var evaluate: Evaluator
    /// The value, when it is known without an event: a literal, or what folding made of one.
    var constant: Value?

    init(type: ExpressionType, evaluate: @escaping Evaluator, constant: Value? = nil) {
        self.type = type
        self.evaluate = evaluate
        self.constant = constant
    }

    static func constant(_ value: Value, _ type: ExpressionType) -> Compiled {
        Compiled(type: type, evaluate: { _ in value }, constant: value)
    }

    var constantBool: Bool? {
        if case .bool(let flag) = constant { return flag }
        return nil
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
