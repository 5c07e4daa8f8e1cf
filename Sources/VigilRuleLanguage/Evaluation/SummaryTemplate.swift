/// A summary with expressions in double braces: `Craving {{ event.data.score }}/10 (threshold
/// {{ params.highThreshold }})`. Each hole is type-checked at load and written as `Value.text()` writes it.
struct SummaryTemplate: Sendable {
    private enum Part: Sendable {
        case text(String)
        case hole(Evaluator)
    }

    private let parts: [Part]

    init(_ template: String, compiler: inout ExpressionCompiler) throws(ExpressionProblem) {
        var parts: [Part] = []
        let bytes = Array(template.utf8)
        var position = 0
        var literalStart = 0
        while position + 1 < bytes.count {
            guard bytes[position] == UInt8(ascii: "{"), bytes[position + 1] == UInt8(ascii: "{") else {
                position += 1
                continue
            }
            if literalStart < position { parts.append(.text(String(decoding: bytes[literalStart..<position], as: UTF8.self))) }
            let holeStart = position + 2
            var end = holeStart
            while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "}") && bytes[end + 1] == UInt8(ascii: "}")) { end += 1 }
            guard end + 1 < bytes.count else { throw ExpressionProblem(offset: position, message: "'{{' without its '}}'") }
            let source = String(decoding: bytes[holeStart..<end], as: UTF8.self)
            do {
                parts.append(.hole(try compiler.compile(source).evaluate))
            } catch {
                throw ExpressionProblem(offset: holeStart + error.offset, message: error.message)
            }
            position = end + 2
            literalStart = position
        }
        if literalStart < bytes.count { parts.append(.text(String(decoding: bytes[literalStart...], as: UTF8.self))) }
        self.parts = parts
    }

    func render(_ frame: Frame) throws(EvaluationError) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .hole(let evaluate): text += try evaluate(frame).text(frame)
            }
        }
        return text
    }
}
