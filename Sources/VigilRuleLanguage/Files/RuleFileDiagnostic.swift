/// A problem in a rule file or rule-test file, printed as `FILE:LINE:COLUMN: message` (lines and columns from 1).
public struct RuleFileDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem of a set of files; nothing is loaded when there is one.
public struct RuleFileErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [RuleFileDiagnostic]

    public init(_ diagnostics: [RuleFileDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
