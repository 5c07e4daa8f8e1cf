/// A configuration that cannot be used. The daemon exits 64 (EX_USAGE) with `message`, which names the
/// offending key, variable or flag.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
