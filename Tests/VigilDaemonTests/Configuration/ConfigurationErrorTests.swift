import Testing
@testable import VigilDaemon

@Suite("Configuration: refused, with a message naming the key")
struct ConfigurationErrorTests {
    static let duration = "must be a duration such as 90s, 15m, 24h or 7d"

    @Test("a file that is refused", arguments: [
        ("shutdownTimout: 30s", "shutdownTimout: unknown key"),
        ("kafka:\n  brokerz: k:9092", "kafka.brokerz: unknown key"),
        ("topics:\n  input: [a]", "topics.input: unknown key"),
        ("http:\n  prot: 8080", "http.prot: unknown key"),
        ("limits:\n  maxEventSize: 10", "limits.maxEventSize: unknown key"),
        ("logging:\n  lvl: info", "logging.lvl: unknown key"),
        ("http:\n  port: \"x\"", "http.port: must be a whole number"),
        ("http:\n  port: 80.5", "http.port: must be a whole number"),
        ("http:\n  port: 70000", "http.port: must be 0 to 65535"),
        ("kafka:\n  groupId: 42", "kafka.groupId: must be a string"),
        ("kafka:\n  brokers: [a, b]", "kafka.brokers: must be a string"),
        ("kafka:\n  brokers: \" \"", "kafka.brokers: must not be empty; give HOST:PORT[,…], or try it out with --embedded-broker or `vigil demo`"),
        ("kafka:\n  groupId: \"\"", "kafka.groupId: must not be empty"),
        ("kafka: 5", "kafka: must be a mapping"),
        ("topics:\n  inputs: patient.checkins", "topics.inputs: must be a non-empty list of strings"),
        ("topics:\n  inputs: []", "topics.inputs: must be a non-empty list of strings"),
        ("topics:\n  inputs: [a, 5]", "topics.inputs: must be a non-empty list of strings"),
        ("topics:\n  inputs: [a, a]", "topics.inputs: a topic is listed twice"),
        ("shutdownTimeout: 10", "shutdownTimeout: \(duration)"),
        ("shutdownTimeout: \"10\"", "shutdownTimeout: \(duration)"),
        ("shutdownTimeout: 1.5h", "shutdownTimeout: \(duration)"),
        ("shutdownTimeout: -5s", "shutdownTimeout: \(duration)"),
        ("shutdownTimeout: 2w", "shutdownTimeout: \(duration)"),
        ("shutdownTimeout: 0s", "shutdownTimeout: must be greater than 0"),
        ("kafka:\n  connectTimeout: soon", "kafka.connectTimeout: \(duration)"),
        ("kafka:\n  connectTimeout: 0ms", "kafka.connectTimeout: must be greater than 0"),
        ("limits:\n  maxClockSkew: 300", "limits.maxClockSkew: \(duration)"),
        ("limits:\n  maxEventBytes: 64KiB", "limits.maxEventBytes: must be a whole number"),
        ("limits:\n  maxEventBytes: 0", "limits.maxEventBytes: must be greater than 0"),
        ("logging:\n  level: verbose", "logging.level: must be one of trace, debug, info, notice, warning, error, critical"),
        ("topics:\n  inputs: [patient.checkins, care.alerts]", "topics: care.alerts is both an input and an output topic"),
        ("topics:\n  inputs: [patient.checkins]\n  deadLetter: patient.checkins", "topics: patient.checkins is both an input and an output topic"),
        ("topics:\n  alerts: shared.out\n  deadLetter: shared.out", "topics: alerts and deadLetter must be different topics"),
        ("- a\n- b", "the configuration file: must be a mapping"),
    ])
    func refusedFile(yaml: String, message: String) {
        #expect(Load.error(yaml: yaml) == ConfigurationError(message))
    }

    @Test("an environment variable that is refused names the variable", arguments: [
        ("VIGIL_HTTP_PORT", "abc"),
        ("VIGIL_HTTP_PORT", "80.5"),
        ("VIGIL_MAX_EVENT_BYTES", "lots"),
        ("VIGIL_SHUTDOWN_TIMEOUT", "30"),
        ("VIGIL_CONNECT_TIMEOUT", "half a minute"),
        ("VIGIL_MAX_CLOCK_SKEW", "5"),
        ("VIGIL_INPUT_TOPICS", "a,,b"),
        ("VIGIL_INPUT_TOPICS", ""),
    ])
    func refusedEnvironment(variable: String, value: String) {
        #expect(Load.error(environment: [variable: value]) == ConfigurationError("\(variable): invalid value"))
    }

    @Test("a flag that is refused names the flag")
    func refusedFlags() {
        #expect(Load.error(flags: .with { $0.shutdownTimeout = "30" }) == ConfigurationError("--shutdown-timeout: invalid value"))
        #expect(Load.error(flags: .with { $0.connectTimeout = "x" }) == ConfigurationError("--connect-timeout: invalid value"))
        #expect(Load.error(flags: .with { $0.inputTopics = "a," }) == ConfigurationError("--input-topics: invalid value"))
        #expect(Load.error(flags: .with { $0.httpPort = -1 }) == ConfigurationError("http.port: must be 0 to 65535"))
    }

    @Test("an input topic that is also an output is refused whichever source set it")
    func inputsOverlapOutputs() {
        #expect(Load.error(environment: ["VIGIL_ALERTS_TOPIC": "patient.cravings"])
            == ConfigurationError("topics: patient.cravings is both an input and an output topic"))
        #expect(Load.error(flags: .with { $0.deadLetterTopic = "care.alert-acks" })
            == ConfigurationError("topics: care.alert-acks is both an input and an output topic"))
        #expect(Load.error(flags: .with { $0.inputTopics = "patient.cravings,patient.events.dlq" })
            == ConfigurationError("topics: patient.events.dlq is both an input and an output topic"))
    }

    @Test("a bad value in the file is refused even when the environment overrides that key")
    func fileCheckedBeforeEnvironment() {
        #expect(Load.error(yaml: "http:\n  port: \"x\"", environment: ["VIGIL_HTTP_PORT": "9000"]) == ConfigurationError("http.port: must be a whole number"))
    }

    @Test("invalid YAML is refused as such")
    func invalidYAML() throws {
        let error = try #require(Load.error(yaml: "kafka:\n  brokers: [unclosed\n  groupId: g"))
        #expect(error.message.hasPrefix("the configuration file is not valid YAML: "))
        let tabs = try #require(Load.error(yaml: "kafka:\n\tbrokers: x"))
        #expect(tabs.message.hasPrefix("the configuration file is not valid YAML: "))
    }

    @Test("the error's description is its message")
    func description() {
        #expect(ConfigurationError("kafka.brokerz: unknown key").description == "kafka.brokerz: unknown key")
    }
}
