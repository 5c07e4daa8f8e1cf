import ArgumentParser
import Foundation
import Logging
import VigilDaemon

/// `vigil run`: the daemon.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: consume patient events, publish alerts, serve health and metrics.",
        discussion: """
            Every option can also come from the configuration file and from VIGIL_* environment variables; flags win \
            over the environment, the environment over the file. Exit codes: 0 clean shutdown, 64 bad usage or \
            configuration, 69 brokers unreachable at start-up, 70 internal error.
            """
    )

    @Option(help: "Kafka bootstrap servers, HOST:PORT[,…] (VIGIL_BROKERS).") var brokers: String?
    @Option(help: "Consumer group id shared by all instances (VIGIL_GROUP_ID; default vigil).") var groupId: String?
    @Option(help: "Static group membership id, stable per instance; empty turns it off (VIGIL_GROUP_INSTANCE_ID; default <group-id>-<hostname>-<http-port>).")
    var groupInstanceId: String?
    @Option(help: "Port for health, metrics and status (VIGIL_HTTP_PORT; default 8080).") var httpPort: Int?
    @Option(help: "Address for the HTTP server (VIGIL_HTTP_HOST; default 127.0.0.1).") var httpHost: String?
    @Option(help: "YAML configuration file (VIGIL_CONFIG).") var config: String?
    @Option(help: "Comma-separated, co-partitioned input topics (VIGIL_INPUT_TOPICS).") var inputTopics: String?
    @Option(help: "Topic for alerts (VIGIL_ALERTS_TOPIC; default care.alerts).") var alertsTopic: String?
    @Option(help: "Dead-letter topic (VIGIL_DLQ_TOPIC; default patient.events.dlq).") var dlqTopic: String?
    @Option(help: "Start-up connection timeout, e.g. 30s (VIGIL_CONNECT_TIMEOUT).") var connectTimeout: String?
    @Option(help: "Bound on a graceful shutdown, e.g. 30s (VIGIL_SHUTDOWN_TIMEOUT).") var shutdownTimeout: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (VIGIL_LOG_LEVEL; default info).") var logLevel: String?
    @Option(help: "at-least-once or exactly-once (VIGIL_PROCESSING_GUARANTEE; default at-least-once).") var processingGuarantee: String?
    @Option(help: "Processing threads, each one member of the consumer group (VIGIL_PROCESSING_THREADS; default 1).") var processingThreads: Int?
    @Option(help: "A rule file or glob to load beside rules.module; repeatable (VIGIL_RULES_FILES).") var rulesFile: [String] = []
    @Flag(help: "Print the effective configuration (file, environment and flags merged; secrets redacted) and exit.")
    var printConfig = false
    @Flag(help: "Run on an in-process broker on loopback; prints its bootstrap servers. Nothing is kept after exit.")
    var embeddedBroker = false

    func run() async throws {
        var flags = CommandLineOverrides()
        flags.configFile = config
        flags.brokers = brokers
        flags.groupId = groupId
        flags.groupInstanceId = groupInstanceId
        flags.httpPort = httpPort
        flags.httpHost = httpHost
        flags.inputTopics = inputTopics
        flags.alertsTopic = alertsTopic
        flags.deadLetterTopic = dlqTopic
        flags.connectTimeout = connectTimeout
        flags.shutdownTimeout = shutdownTimeout
        flags.logLevel = logLevel
        flags.processingGuarantee = processingGuarantee
        flags.processingThreads = processingThreads
        flags.embeddedBroker = embeddedBroker
        flags.rulesFiles = rulesFile
        do {
            let configuration = try ConfigurationLoader.load(overrides: flags, environment: ProcessInfo.processInfo.environment)
            if printConfig {
                print(ConfigurationDump.yaml(configuration), terminator: "")
                return
            }
            Bootstrap.logging(level: configuration.logLevel)
            Logger(label: "vigil").debug("allocator", metadata: ["malloc": .string(Allocator.version.map { "jemalloc \($0)" } ?? "not jemalloc")])
            if let path = flags.configFile ?? ProcessInfo.processInfo.environment["VIGIL_CONFIG"],
                let warning = ConfigurationFilePermissions.warning(path: path) {
                Logger(label: "vigil").warning("\(warning)")
            }
            let registry = Bootstrap.metrics()
            var daemon = Daemon(configuration: configuration, modules: ruleModules, logger: Logger(label: "vigil"), registry: registry)
            let environment = ProcessInfo.processInfo.environment
            daemon.rereadConfiguration = { [flags] () throws(ConfigurationError) in try ConfigurationLoader.load(overrides: flags, environment: environment) }
            try await daemon.run()
        } catch {
            throw ExitCode(Bootstrap.exit(for: error))
        }
    }
}
