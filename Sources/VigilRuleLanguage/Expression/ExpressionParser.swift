/// Parses an expression by recursive descent, with CEL's precedence from loosest to tightest:
/// `? :`, `||`, `&&`, relations (`<` `<=` `>` `>=` `==` `!=` `in`), `+` `-`, `*` `/` `%`, unary `!` `-`, then
/// member access, calls and indexing. Nesting is bounded so that no input can exhaust the stack.
struct ExpressionParser {
    /// The deepest nesting of parentheses, lists, calls and unary operators accepted.
    static let maximumDepth = 32

    private let tokens: [ExpressionLexer.Token]
    private var position = 0
    private var depth = 0

    /// The most tokens an expression may have: chains of operators and calls nest in the tree (and in its
    /// evaluation), so length is bounded as depth is.
    static let maximumTokens = 1_000

    static func parse(_ text: String) throws(ExpressionProblem) -> ExpressionSyntax {
        let tokens = try ExpressionLexer.tokens(text)
        guard tokens.count <= Self.maximumTokens + 1 else {
            throw ExpressionProblem(offset: tokens[Self.maximumTokens].offset, message: "expression longer than \(Self.maximumTokens) tokens; split it with let")
        }
        var parser = ExpressionParser(tokens: tokens)
        let expression = try parser.conditional()
        guard parser.current.kind == .end else { throw parser.unexpected() }
        return expression
    }

    private init(tokens: [ExpressionLexer.Token]) {
        self.tokens = tokens
    }

    private var current: ExpressionLexer.Token { tokens[position] }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    private mutating func take(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String) throws(ExpressionProblem) {
        guard take(symbol) else { throw ExpressionProblem(offset: current.offset, message: "expected '\(symbol)'") }
    }

    private func unexpected() -> ExpressionProblem {
        switch current.kind {
        case .end: ExpressionProblem(offset: current.offset, message: "unexpected end of expression")
        case .symbol(let symbol): ExpressionProblem(offset: current.offset, message: "unexpected '\(symbol)'")
        case .identifier(let name): ExpressionProblem(offset: current.offset, message: "unexpected '\(name)'")
        case .number, .string: ExpressionProblem(offset: current.offset, message: "unexpected literal")
        }
    }

    private mutating func nested<T>(_ parse: (inout ExpressionParser) throws(ExpressionProblem) -> T) throws(ExpressionProblem) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw ExpressionProblem(offset: current.offset, message: "expression nested deeper than \(Self.maximumDepth) levels")
        }
        return try parse(&self)
    }

    private mutating func conditional() throws(ExpressionProblem) -> ExpressionSyntax {
        let condition = try binary(level: 0)
        guard isSymbol("?") else { return condition }
        let at = current.offset
        position += 1
        return try nested { (parser: inout ExpressionParser) throws(ExpressionProblem) in
            let then = try parser.binary(level: 0)
            try parser.expect(":")
            let otherwise = try parser.conditional()
            return .conditional(condition, then, otherwise, at: at)
        }
    }

    /// Binary operators by level, loosest first; all associate to the left.
    private static let levels: [[BinaryOperator]] = [
        [.or],
        [.and],
        [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in],
        [.add, .subtract],
        [.multiply, .divide, .remainder],
    ]

    private mutating func binary(level: Int) throws(ExpressionProblem) -> ExpressionSyntax {
        guard level < Self.levels.count else { return try unary() }
        var left = try binary(level: level + 1)
        while let op = binaryOperator(in: Self.levels[level]) {
            let at = current.offset
            position += 1
            let right = try binary(level: level + 1)
            left = .binary(op, left, right, at: at)
        }
        return left
    }

    private func binaryOperator(in candidates: [BinaryOperator]) -> BinaryOperator? {
        let text: String
        switch current.kind {
        case .symbol(let symbol): text = symbol
        case .identifier("in"): text = "in"
        default: return nil
        }
        return candidates.first { $0.rawValue == text }
    }

    private mutating func unary() throws(ExpressionProblem) -> ExpressionSyntax {
        let at = current.offset
        if take("!") {
            return .unary(.not, try nested { (parser: inout ExpressionParser) throws(ExpressionProblem) in try parser.unary() }, at: at)
        }
        if take("-") {
            return .unary(.negate, try nested { (parser: inout ExpressionParser) throws(ExpressionProblem) in try parser.unary() }, at: at)
        }
        return try postfix()
    }

    private mutating func postfix() throws(ExpressionProblem) -> ExpressionSyntax {
        var expression = try primary()
        while true {
            let at = current.offset
            if take(".") {
                guard case .identifier(let name) = current.kind else { throw ExpressionProblem(offset: current.offset, message: "expected a field or function name after '.'") }
                position += 1
                if isSymbol("(") {
                    let arguments = try self.arguments()
                    expression = .call(target: expression, name: name, arguments: arguments, at: at)
                } else {
                    expression = .member(expression, name, at: at)
                }
            } else if take("[") {
                let index = try nested { (parser: inout ExpressionParser) throws(ExpressionProblem) in try parser.conditional() }
                try expect("]")
                expression = .index(expression, index, at: at)
            } else {
                return expression
            }
        }
    }

    private mutating func primary() throws(ExpressionProblem) -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case .number(let value):
            position += 1
            return .number(value, at: token.offset)
        case .string(let text):
            position += 1
            return .string(text, at: token.offset)
        case .identifier("true"), .identifier("false"):
            position += 1
            return .bool(token.kind == .identifier("true"), at: token.offset)
        case .identifier(let name) where !Self.reserved.contains(name):
            position += 1
            if isSymbol("(") { return .call(target: nil, name: name, arguments: try arguments(), at: token.offset) }
            return .identifier(name, at: token.offset)
        case .symbol("("):
            position += 1
            let inner = try nested { (parser: inout ExpressionParser) throws(ExpressionProblem) in try parser.conditional() }
            try expect(")")
            return inner
        case .symbol("["):
            position += 1
            let elements = try nested { (parser: inout ExpressionParser) throws(ExpressionProblem) in try parser.list(closing: "]") }
            return .list(elements, at: token.offset)
        default:
            throw unexpected()
        }
    }

    /// CEL's reserved words; `null` is among them because the language has no null (see docs/RULE-LANGUAGE.md).
    static let reserved: Set<String> = ["in", "null", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]

    private mutating func arguments() throws(ExpressionProblem) -> [ExpressionSyntax] {
        try expect("(")
        return try nested { (parser: inout ExpressionParser) throws(ExpressionProblem) in try parser.list(closing: ")") }
    }

    private mutating func list(closing: String) throws(ExpressionProblem) -> [ExpressionSyntax] {
        var elements: [ExpressionSyntax] = []
        if take(closing) { return elements }
        repeat {
            elements.append(try conditional())
        } while take(",")
        try expect(closing)
        return elements
    }
}
