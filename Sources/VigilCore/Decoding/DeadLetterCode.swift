/// Why an inbound message could not be processed: the `vigil.error.code` header of its dead-letter copy.
public enum DeadLetterCode: String, Sendable, CaseIterable {
    case malformedJSON = "malformed-json"
    /// Not a CloudEvent: no `specversion`, or a required CloudEvents attribute (`id`, `source`, `type`) is missing.
    case notCloudEvent = "not-cloudevent"
    case unsupportedSpecVersion = "unsupported-specversion"
    case unsupportedType = "unsupported-type"
    /// A CloudEvent whose `time` or `data` breaks the contract.
    case schemaViolation = "schema-violation"
    case keyMismatch = "key-mismatch"
    case timeInFuture = "time-in-future"
    case tooLarge = "too-large"
}

/// A decoding failure: its code and one line for a human that names the field and the rule it broke, never the
/// field's value (the value may be clinical).
public struct DecodeFailure: Error, Sendable, Equatable {
    public var code: DeadLetterCode
    public var detail: String

    public init(_ code: DeadLetterCode, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
