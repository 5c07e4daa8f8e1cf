/// An expression as parsed: a tree of nodes, each with the offset (in UTF-8 bytes) where it starts in the
/// expression's text, so that every problem can be reported at its `FILE:LINE:COLUMN`.
indirect enum ExpressionSyntax: Sendable {
    case number(Double, at: Int)
    case string(String, at: Int)
    case bool(Bool, at: Int)
    case identifier(String, at: Int)
    case list([ExpressionSyntax], at: Int)
    /// `target.name`
    case member(ExpressionSyntax, String, at: Int)
    /// `target[index]`
    case index(ExpressionSyntax, ExpressionSyntax, at: Int)
    /// `name(arguments)` or `target.name(arguments)`
    case call(target: ExpressionSyntax?, name: String, arguments: [ExpressionSyntax], at: Int)
    case unary(UnaryOperator, ExpressionSyntax, at: Int)
    case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax, at: Int)
    /// `condition ? then : otherwise`
    case conditional(ExpressionSyntax, ExpressionSyntax, ExpressionSyntax, at: Int)

    var offset: Int {
        switch self {
        case .number(_, let at), .string(_, let at), .bool(_, let at), .identifier(_, let at), .list(_, let at),
            .member(_, _, let at), .index(_, _, let at), .call(_, _, _, let at), .unary(_, _, let at),
            .binary(_, _, _, let at), .conditional(_, _, _, let at):
            at
        }
    }
}

enum UnaryOperator: String, Sendable {
    case not = "!"
    case negate = "-"
}

enum BinaryOperator: String, Sendable {
    case or = "||"
    case and = "&&"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case `in` = "in"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
}

/// A problem in an expression, at a byte offset into its text.
struct ExpressionProblem: Error, Sendable, Equatable {
    var offset: Int
    var message: String
}
