/// Why a state-changelog record could not be read. The restorer counts such records and starts those patients
/// afresh; the message names what broke and where, never a patient's data.
public struct PatientStateCodecError: Error, Sendable, CustomStringConvertible {
    /// Extensible: new codes are new static members, so a `switch` over codes needs a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String

        /// The record ends inside a value.
        public static let truncated = Code(description: "truncated")
        /// A value is out of its range: an unknown tag, a count larger than the bytes left, a bad back-reference.
        public static let malformed = Code(description: "malformed")
        /// A string's bytes are not valid UTF-8.
        public static let invalidUTF8 = Code(description: "invalidUTF8")
        /// Bytes remain after the state.
        public static let trailingBytes = Code(description: "trailingBytes")
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int

    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "PatientStateCodecError.\(code): \(message) (\(file):\(line))" }
}
