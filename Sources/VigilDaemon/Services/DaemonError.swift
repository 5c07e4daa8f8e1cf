/// The daemon's error type: a code that decides the exit status, and a message for the operator (never patient data).
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        /// Bad usage or configuration: exit 64.
        public static let configuration = Code(name: "configuration")
        /// The brokers did not answer at start-up: exit 69.
        public static let unavailable = Code(name: "unavailable")
        /// A graceful stop could not finish within its bound: exit 70.
        public static let shutdownIncomplete = Code(name: "shutdown-incomplete")
        /// A stop signal arrived before start-up finished: a clean stop, exit 0.
        public static let interrupted = Code(name: "interrupted")
        /// Anything else that stops the daemon: exit 70.
        public static let internalError = Code(name: "internal")
        public var description: String { name }
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

    public var description: String { message }

    /// The process exit status for this error (sysexits.h).
    public var exitCode: Int32 {
        switch code {
        case .configuration: 64
        case .unavailable: 69
        case .interrupted: 0
        default: 70
        }
    }
}
