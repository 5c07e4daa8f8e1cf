/// The options given as flags to `vigil run`; nil where the flag was not given.
public struct CommandLineOverrides: Sendable, Equatable {
    public var configFile: String?
    public var brokers: String?
    public var groupId: String?
    public var groupInstanceId: String?
    public var httpPort: Int?
    public var httpHost: String?
    public var inputTopics: String?
    public var alertsTopic: String?
    public var deadLetterTopic: String?
    public var connectTimeout: String?
    public var shutdownTimeout: String?
    public var logLevel: String?
    public var processingGuarantee: String?
    public var processingThreads: Int?
    public var embeddedBroker = false
    /// `--rules-file`, repeatable; replaces the files of the environment and the configuration file.
    public var rulesFiles: [String] = []

    public init() {}
}
