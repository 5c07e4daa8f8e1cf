import Foundation
import VigilCore
import Yams

/// Builds the configuration from its three sources in order of precedence: flags over `VIGIL_*` environment
/// variables over the YAML file over the defaults. Anything unknown or ill-typed is refused, naming where it came from.
public enum ConfigurationLoader {
    public static func load(
        overrides: CommandLineOverrides,
        environment: [String: String],
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(ConfigurationError) -> VigilConfiguration {
        var configuration = VigilConfiguration()
        if let path = overrides.configFile ?? environment["VIGIL_CONFIG"] {
            let text: String
            do {
                text = try readFile(path)
            } catch {
                throw ConfigurationError("cannot read the configuration file \(path): \(error.localizedDescription)")
            }
            try ConfigurationFile.apply(yaml: text, to: &configuration)
            // Rule files named in the file are found next to it, wherever the daemon was started.
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            configuration.rules.files = configuration.rules.files.map { RuleSettingsFile.resolve($0, relativeTo: directory) }
        }
        try applyEnvironment(environment, to: &configuration)
        try applyFlags(overrides, to: &configuration)
        try validate(configuration)
        return configuration
    }

    static func applyEnvironment(_ environment: [String: String], to configuration: inout VigilConfiguration) throws(ConfigurationError) {
        let source = SettingSource(environment: environment)
        try source.apply("VIGIL_BROKERS", \.kafka.brokers, to: &configuration) { $0 }
        try source.apply("VIGIL_GROUP_ID", \.kafka.groupId, to: &configuration) { $0 }
        try source.apply("VIGIL_GROUP_INSTANCE_ID", \.kafka.groupInstanceId, to: &configuration) { $0 }
        try source.apply("VIGIL_CONNECT_TIMEOUT", \.kafka.connectTimeout, to: &configuration, DurationText.seconds)
        try source.apply("VIGIL_INPUT_TOPICS", \.topics.inputs, to: &configuration, topicList)
        try source.apply("VIGIL_ALERTS_TOPIC", \.topics.alerts, to: &configuration) { $0 }
        try source.apply("VIGIL_DLQ_TOPIC", \.topics.deadLetter, to: &configuration) { $0 }
        try source.apply("VIGIL_PROCESSING_GUARANTEE", \.processing.guarantee, to: &configuration) { ProcessingGuarantee(rawValue: $0) }
        try source.apply("VIGIL_TRANSACTIONAL_ID", \.processing.transactionalId, to: &configuration) { $0 }
        try source.apply("VIGIL_PROCESSING_THREADS", \.processing.threads, to: &configuration) { Int($0) }
        try source.apply("VIGIL_MAX_IDLE", \.processing.maxIdle, to: &configuration, DurationText.seconds)
        try source.apply("VIGIL_STATE_TOPIC", \.topics.state, to: &configuration) { $0 }
        try source.apply("VIGIL_STATE_RETENTION", \.state.retention, to: &configuration, DurationText.seconds)
        try source.apply("VIGIL_STATE_CHECKPOINT_INTERVAL", \.state.checkpointInterval, to: &configuration, DurationText.seconds)
        try source.apply("VIGIL_ESCALATION_CRITICAL", \.escalation.critical, to: &configuration, durationList)
        try source.apply("VIGIL_ESCALATION_HIGH", \.escalation.high, to: &configuration, durationList)
        try source.apply("VIGIL_GROUPING_WINDOW", \.grouping.window, to: &configuration, DurationText.seconds)
        try source.apply("VIGIL_HTTP_PORT", \.http.port, to: &configuration) { Int($0) }
        try source.apply("VIGIL_HTTP_HOST", \.http.host, to: &configuration) { $0 }
        try source.apply("VIGIL_HTTP_ADMIN_TOKEN", \.http.adminToken, to: &configuration) { $0.isEmpty ? nil : $0 }
        try source.apply("VIGIL_MAX_EVENT_BYTES", \.limits.maxEventBytes, to: &configuration) { Int($0) }
        try source.apply("VIGIL_MAX_CLOCK_SKEW", \.limits.maxClockSkew, to: &configuration, DurationText.seconds)
        try source.apply("VIGIL_SHUTDOWN_TIMEOUT", \.shutdownTimeout, to: &configuration, DurationText.seconds)
        try source.apply("VIGIL_LOG_LEVEL", \.logLevel, to: &configuration) { $0 }
        try source.apply("VIGIL_RULES_MODULE", \.rules.module, to: &configuration) { $0 }
        try source.apply("VIGIL_RULES_FILES", \.rules.files, to: &configuration, pathList)
    }

    static func applyFlags(_ flags: CommandLineOverrides, to configuration: inout VigilConfiguration) throws(ConfigurationError) {
        let source = SettingSource(flags: flags)
        try source.apply("--brokers", \.kafka.brokers, to: &configuration) { $0 }
        try source.apply("--group-id", \.kafka.groupId, to: &configuration) { $0 }
        try source.apply("--group-instance-id", \.kafka.groupInstanceId, to: &configuration) { $0 }
        try source.apply("--connect-timeout", \.kafka.connectTimeout, to: &configuration, DurationText.seconds)
        try source.apply("--input-topics", \.topics.inputs, to: &configuration, topicList)
        try source.apply("--alerts-topic", \.topics.alerts, to: &configuration) { $0 }
        try source.apply("--dlq-topic", \.topics.deadLetter, to: &configuration) { $0 }
        try source.apply("--http-port", \.http.port, to: &configuration) { Int($0) }
        try source.apply("--http-host", \.http.host, to: &configuration) { $0 }
        try source.apply("--shutdown-timeout", \.shutdownTimeout, to: &configuration, DurationText.seconds)
        try source.apply("--log-level", \.logLevel, to: &configuration) { $0 }
        try source.apply("--processing-guarantee", \.processing.guarantee, to: &configuration) { ProcessingGuarantee(rawValue: $0) }
        try source.apply("--processing-threads", \.processing.threads, to: &configuration) { Int($0) }
        if !flags.rulesFiles.isEmpty { configuration.rules.files = flags.rulesFiles }
        if flags.embeddedBroker {
            guard flags.brokers == nil else { throw ConfigurationError("--embedded-broker and --brokers exclude each other") }
            configuration.embeddedBroker = true
        }
    }

    /// `rules/a.yaml,rules/b.yaml`; empty entries are refused.
    static func pathList(_ text: String) -> [String]? {
        let paths = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return paths.contains(where: \.isEmpty) ? nil : paths
    }

    static func topicList(_ text: String) -> [String]? {
        let topics = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return topics.isEmpty || topics.contains(where: \.isEmpty) ? nil : topics
    }

    /// `15m,30m`; an empty text is an empty list (no escalation).
    static func durationList(_ text: String) -> [TimeInterval]? {
        guard !text.isEmpty else { return [] }
        let durations = text.split(separator: ",", omittingEmptySubsequences: false).map { DurationText.seconds($0.trimmingCharacters(in: .whitespaces)) }
        return durations.contains(where: { $0 == nil }) ? nil : durations.compactMap { $0 }
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    static func validate(_ configuration: VigilConfiguration) throws(ConfigurationError) {
        guard (0...65_535).contains(configuration.http.port) else { throw ConfigurationError("http.port: must be 0 to 65535") }
        guard logLevels.contains(configuration.logLevel) else {
            throw ConfigurationError("logging.level: must be one of \(logLevels.joined(separator: ", "))")
        }
        guard !configuration.topics.inputs.isEmpty else { throw ConfigurationError("topics.inputs: at least one topic is required") }
        guard Set(configuration.topics.inputs).count == configuration.topics.inputs.count else {
            throw ConfigurationError("topics.inputs: a topic is listed twice")
        }
        guard configuration.topics.alerts != configuration.topics.deadLetter else {
            throw ConfigurationError("topics: alerts and deadLetter must be different topics")
        }
        let outputs = [configuration.topics.alerts, configuration.topics.deadLetter, configuration.topics.state]
        guard Set(outputs).count == outputs.count else {
            throw ConfigurationError("topics: alerts, deadLetter and state must be three different topics")
        }
        if let loop = outputs.first(where: configuration.topics.inputs.contains) {
            throw ConfigurationError("topics: \(loop) is both an input and an output topic")
        }
        guard configuration.limits.maxEventBytes > 0 else { throw ConfigurationError("limits.maxEventBytes: must be greater than 0") }
        guard configuration.kafka.connectTimeout > 0 else { throw ConfigurationError("kafka.connectTimeout: must be greater than 0") }
        guard configuration.state.retention > 0 else { throw ConfigurationError("state.retention: must be greater than 0") }
        guard configuration.state.restoreTimeout > 0 else { throw ConfigurationError("state.restoreTimeout: must be greater than 0") }
        guard configuration.state.checkpointInterval > 0 else { throw ConfigurationError("state.checkpointInterval: must be greater than 0") }
        for (key, delays) in [("critical", configuration.escalation.critical), ("high", configuration.escalation.high)] where delays != delays.sorted() {
            throw ConfigurationError("escalation.\(key): delays must be in increasing order")
        }
        guard configuration.grouping.window >= 0 else { throw ConfigurationError("grouping.window: must not be negative") }
        guard (1...64).contains(configuration.processing.threads) else { throw ConfigurationError("processing.threads: must be 1 to 64") }
        guard configuration.shutdownTimeout > 0 else { throw ConfigurationError("shutdownTimeout: must be greater than 0") }
        guard !configuration.kafka.groupId.isEmpty else { throw ConfigurationError("kafka.groupId: must not be empty") }
        // Threads after the first join with their number appended.
        let threadSuffixBytes = ProcessingThreadIdentity.suffix(index: configuration.processing.threads - 1).utf8.count
        if let instanceId = configuration.effectiveGroupInstanceId(), instanceId.utf8.count + threadSuffixBytes > 249 {
            throw ConfigurationError("kafka.groupInstanceId: at most 249 bytes" + (threadSuffixBytes > 0 ? ", with the \"\(ProcessingThreadIdentity.separator)N\" that processing.threads appends" : ""))
        }
        if configuration.kafka.groupInstanceId != nil, configuration.kafka.properties["group.instance.id"] != nil {
            throw ConfigurationError("kafka.groupInstanceId and kafka.properties.group.instance.id exclude each other; keep kafka.groupInstanceId")
        }
        if let brokers = configuration.kafka.brokers, brokers.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ConfigurationError("kafka.brokers: must not be empty; give HOST:PORT[,…], or try it out with --embedded-broker or `vigil demo`")
        }
    }
}

/// One source of string settings (environment variables or flags), applied field by field with a parser that
/// returns nil for a bad value.
private struct SettingSource {
    let values: [String: String]

    init(environment: [String: String]) {
        values = environment
    }

    init(flags: CommandLineOverrides) {
        var values: [String: String] = [:]
        values["--brokers"] = flags.brokers
        values["--group-id"] = flags.groupId
        values["--group-instance-id"] = flags.groupInstanceId
        values["--connect-timeout"] = flags.connectTimeout
        values["--input-topics"] = flags.inputTopics
        values["--alerts-topic"] = flags.alertsTopic
        values["--dlq-topic"] = flags.deadLetterTopic
        values["--http-port"] = flags.httpPort.map(String.init)
        values["--http-host"] = flags.httpHost
        values["--shutdown-timeout"] = flags.shutdownTimeout
        values["--log-level"] = flags.logLevel
        values["--processing-guarantee"] = flags.processingGuarantee
        values["--processing-threads"] = flags.processingThreads.map(String.init)
        self.values = values
    }

    func apply<Value>(
        _ name: String, _ field: WritableKeyPath<VigilConfiguration, Value>, to configuration: inout VigilConfiguration,
        _ parse: (String) -> Value?
    ) throws(ConfigurationError) {
        guard let text = values[name] else { return }
        guard let value = parse(text) else { throw ConfigurationError("\(name): invalid value") }
        configuration[keyPath: field] = value
    }

    func apply<Value>(
        _ name: String, _ field: WritableKeyPath<VigilConfiguration, Value?>, to configuration: inout VigilConfiguration,
        _ parse: (String) -> Value?
    ) throws(ConfigurationError) {
        guard let text = values[name] else { return }
        guard let value = parse(text) else { throw ConfigurationError("\(name): invalid value") }
        configuration[keyPath: field] = value
    }
}
