/// Splits an expression into tokens. CEL's lexical syntax, for what the language includes: decimal numbers,
/// single- or double-quoted strings with backslash escapes, identifiers, and the operators of `BinaryOperator`.
struct ExpressionLexer {
    enum Kind: Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case symbol(String)
        case end
    }

    struct Token {
        var kind: Kind
        var offset: Int
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    static func tokens(_ text: String) throws(ExpressionProblem) -> [Token] {
        var lexer = ExpressionLexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private static let twoByteSymbols: Set<String> = ["<=", ">=", "==", "!=", "&&", "||"]
    private static let oneByteSymbols: Set<UInt8> = Set("()[].,?:!-+*/%<>".utf8)

    private mutating func next() throws(ExpressionProblem) -> Token {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x09 || bytes[position] == 0x0D {
            position += 1
        }
        let start = position
        guard position < bytes.count else { return Token(kind: .end, offset: start) }
        let byte = bytes[position]
        if isDigit(byte) { return Token(kind: .number(try number()), offset: start) }
        if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") { return Token(kind: .string(try string(quote: byte)), offset: start) }
        if isIdentifierStart(byte) {
            while position < bytes.count, isIdentifierStart(bytes[position]) || isDigit(bytes[position]) { position += 1 }
            return Token(kind: .identifier(String(decoding: bytes[start..<position], as: UTF8.self)), offset: start)
        }
        if position + 1 < bytes.count {
            let pair = String(decoding: bytes[position...position + 1], as: UTF8.self)
            if Self.twoByteSymbols.contains(pair) {
                position += 2
                return Token(kind: .symbol(pair), offset: start)
            }
        }
        if Self.oneByteSymbols.contains(byte) {
            position += 1
            return Token(kind: .symbol(String(UnicodeScalar(byte))), offset: start)
        }
        throw ExpressionProblem(offset: start, message: "unexpected character")
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    private mutating func number() throws(ExpressionProblem) -> Double {
        let start = position
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) {
            position += 1
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        guard let value = Double(String(decoding: bytes[start..<position], as: UTF8.self)), value.isFinite else {
            throw ExpressionProblem(offset: start, message: "number out of range")
        }
        return value
    }

    private mutating func string(quote: UInt8) throws(ExpressionProblem) -> String {
        let start = position
        position += 1
        var content: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == quote { return String(decoding: content, as: UTF8.self) }
            if byte == 0x0A { break }
            guard byte == UInt8(ascii: "\\") else {
                content.append(byte)
                continue
            }
            guard position < bytes.count else { break }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "n"): content.append(0x0A)
            case UInt8(ascii: "t"): content.append(0x09)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): content.append(escaped)
            default: throw ExpressionProblem(offset: position - 2, message: "unknown escape sequence")
            }
        }
        throw ExpressionProblem(offset: start, message: "unterminated string")
    }
}
