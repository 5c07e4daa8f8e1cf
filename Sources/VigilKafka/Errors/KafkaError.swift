/// The one error type of VigilKafka: what went wrong, in words safe to log (never a message payload).
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. A struct, not an enum, so that codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case configuration, connection, unknownTopic, produce, commit, poll, fatal, timeout, mockCluster
            case notAssigned
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A property was unknown or had a bad value; the message names the property.
        public static let configuration = Code(.configuration)
        /// No broker answered, or the connection failed.
        public static let connection = Code(.connection)
        /// The topic does not exist on the cluster.
        public static let unknownTopic = Code(.unknownTopic)
        /// A message could not be handed to librdkafka, or its delivery failed.
        public static let produce = Code(.produce)
        /// Storing or committing offsets failed.
        public static let commit = Code(.commit)
        /// An error surfaced while polling (consumer errors, broker errors from `error_cb`).
        public static let poll = Code(.poll)
        /// The client is unusable (idempotence or fencing failure); it must be recreated.
        public static let fatal = Code(.fatal)
        /// An operation did not finish within its timeout.
        public static let timeout = Code(.timeout)
        /// The in-process mock cluster could not be created or changed.
        public static let mockCluster = Code(.mockCluster)
        /// An offset was stored for a partition that is not assigned to this consumer (typically after a revoke).
        public static let notAssigned = Code(.notAssigned)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// Never contains message payloads; librdkafka's own error text plus our context.
    public var message: String
    /// Whether trying again may succeed (librdkafka's own verdict where it gives one).
    public var isRetriable: Bool
    /// librdkafka's `rd_kafka_resp_err_t` value, when the error came from librdkafka.
    public var librdkafkaCode: Int?
    /// For transaction calls: the transaction can no longer commit and must be aborted (librdkafka's verdict).
    public var requiresAbort = false
    public var file: String
    public var line: Int

    public init(
        code: Code,
        message: String,
        isRetriable: Bool = false,
        librdkafkaCode: Int? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.librdkafkaCode = librdkafkaCode
        self.file = file
        self.line = line
    }

    public var description: String {
        "KafkaError.\(code): \(message)\(isRetriable ? " (retriable)" : "") at \(file):\(line)"
    }
}
