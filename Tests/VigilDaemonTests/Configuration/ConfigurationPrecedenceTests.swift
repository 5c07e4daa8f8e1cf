import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Configuration: flags over environment over file over defaults")
struct ConfigurationPrecedenceTests {
    /// One setting that the file, a `VIGIL_*` variable and a flag can all give, with a distinct value for each.
    struct Setting: Sendable, CustomTestStringConvertible {
        let key: String
        /// The file's text setting it to a value.
        let yaml: @Sendable (String) -> String
        let variable: String
        let flag: @Sendable (inout CommandLineOverrides, String) -> Void
        /// The loaded value, as text comparable with what was written.
        let read: @Sendable (VigilConfiguration) -> String
        let fileValue: String
        let environmentValue: String
        let flagValue: String
        let defaultValue: String?

        var testDescription: String { key }
    }

    static let settings: [Setting] = [
        Setting(
            key: "kafka.brokers", yaml: { "kafka:\n  brokers: \"\($0)\"" }, variable: "VIGIL_BROKERS",
            flag: { $0.brokers = $1 }, read: { $0.kafka.brokers ?? "nil" },
            fileValue: "file-1:9092,file-2:9092", environmentValue: "env:9092", flagValue: "flag:9092", defaultValue: "nil"),
        Setting(
            key: "kafka.groupId", yaml: { "kafka:\n  groupId: \($0)" }, variable: "VIGIL_GROUP_ID",
            flag: { $0.groupId = $1 }, read: { $0.kafka.groupId },
            fileValue: "file-group", environmentValue: "env-group", flagValue: "flag-group", defaultValue: "vigil"),
        Setting(
            key: "http.port", yaml: { "http:\n  port: \($0)" }, variable: "VIGIL_HTTP_PORT",
            flag: { $0.httpPort = Int($1)! }, read: { String($0.http.port) },
            fileValue: "9001", environmentValue: "9002", flagValue: "9003", defaultValue: "8080"),
        Setting(
            key: "topics.inputs", yaml: { "topics:\n  inputs: [\($0)]" }, variable: "VIGIL_INPUT_TOPICS",
            flag: { $0.inputTopics = $1 }, read: { $0.topics.inputs.joined(separator: ",") },
            fileValue: "file.a,file.b", environmentValue: "env.a,env.b,env.c", flagValue: "flag.a",
            defaultValue: "patient.checkins,patient.cravings,care.alert-acks"),
        Setting(
            key: "topics.alerts", yaml: { "topics:\n  alerts: \($0)" }, variable: "VIGIL_ALERTS_TOPIC",
            flag: { $0.alertsTopic = $1 }, read: { $0.topics.alerts },
            fileValue: "file.alerts", environmentValue: "env.alerts", flagValue: "flag.alerts", defaultValue: "care.alerts"),
        Setting(
            key: "topics.deadLetter", yaml: { "topics:\n  deadLetter: \($0)" }, variable: "VIGIL_DLQ_TOPIC",
            flag: { $0.deadLetterTopic = $1 }, read: { $0.topics.deadLetter },
            fileValue: "file.dlq", environmentValue: "env.dlq", flagValue: "flag.dlq", defaultValue: "patient.events.dlq"),
        Setting(
            key: "kafka.connectTimeout", yaml: { "kafka:\n  connectTimeout: \($0)" }, variable: "VIGIL_CONNECT_TIMEOUT",
            flag: { $0.connectTimeout = $1 }, read: { DurationText.text($0.kafka.connectTimeout) },
            fileValue: "45s", environmentValue: "2m", flagValue: "3m", defaultValue: "30s"),
        Setting(
            key: "shutdownTimeout", yaml: { "shutdownTimeout: \($0)" }, variable: "VIGIL_SHUTDOWN_TIMEOUT",
            flag: { $0.shutdownTimeout = $1 }, read: { DurationText.text($0.shutdownTimeout) },
            fileValue: "10s", environmentValue: "20s", flagValue: "40s", defaultValue: "30s"),
    ]

    @Test("nothing given: the default", arguments: settings)
    func defaultValue(_ setting: Setting) throws {
        #expect(setting.read(try Load.configuration()) == setting.defaultValue)
    }

    @Test("the file over the default", arguments: settings)
    func file(_ setting: Setting) throws {
        let configuration = try Load.configuration(yaml: setting.yaml(setting.fileValue))
        #expect(setting.read(configuration) == setting.fileValue)
    }

    @Test("the environment over the file", arguments: settings)
    func environment(_ setting: Setting) throws {
        let configuration = try Load.configuration(
            yaml: setting.yaml(setting.fileValue), environment: [setting.variable: setting.environmentValue])
        #expect(setting.read(configuration) == setting.environmentValue)
    }

    @Test("a flag over the environment and the file", arguments: settings)
    func flag(_ setting: Setting) throws {
        let configuration = try Load.configuration(
            yaml: setting.yaml(setting.fileValue), environment: [setting.variable: setting.environmentValue],
            flags: .with { setting.flag(&$0, setting.flagValue) })
        #expect(setting.read(configuration) == setting.flagValue)
    }

    @Test("a flag over the environment without a file", arguments: settings)
    func flagWithoutFile(_ setting: Setting) throws {
        let configuration = try Load.configuration(
            environment: [setting.variable: setting.environmentValue], flags: .with { setting.flag(&$0, setting.flagValue) })
        #expect(setting.read(configuration) == setting.flagValue)
    }

    @Test("VIGIL_RULES_MODULE over rules.module, VIGIL_LOG_LEVEL over logging.level, --log-level over both")
    func moduleAndLogLevel() throws {
        let yaml = "rules:\n  module: builtin\nlogging:\n  level: warning"
        let fromFile = try Load.configuration(yaml: yaml)
        #expect(fromFile.rules.module == "builtin")
        #expect(fromFile.logLevel == "warning")
        let fromEnvironment = try Load.configuration(yaml: yaml, environment: ["VIGIL_RULES_MODULE": "example", "VIGIL_LOG_LEVEL": "debug"])
        #expect(fromEnvironment.rules.module == "example")
        #expect(fromEnvironment.logLevel == "debug")
        let fromFlag = try Load.configuration(yaml: yaml, environment: ["VIGIL_LOG_LEVEL": "debug"], flags: .with { $0.logLevel = "error" })
        #expect(fromFlag.logLevel == "error")
    }

    @Test("limits come from the file and from VIGIL_MAX_EVENT_BYTES / VIGIL_MAX_CLOCK_SKEW")
    func limits() throws {
        let yaml = "limits:\n  maxEventBytes: 1024\n  maxClockSkew: 90s"
        let fromFile = try Load.configuration(yaml: yaml)
        #expect(fromFile.limits.maxEventBytes == 1024)
        #expect(fromFile.limits.maxClockSkew == 90)
        let fromEnvironment = try Load.configuration(yaml: yaml, environment: ["VIGIL_MAX_EVENT_BYTES": "2048", "VIGIL_MAX_CLOCK_SKEW": "1m"])
        #expect(fromEnvironment.limits.maxEventBytes == 2048)
        #expect(fromEnvironment.limits.maxClockSkew == 60)
    }

    @Test("--embedded-broker sets embeddedBroker; flags given as nil change nothing")
    func embeddedBroker() throws {
        #expect(try Load.configuration(flags: .with { $0.embeddedBroker = true }).embeddedBroker)
        #expect(try Load.configuration(yaml: "kafka:\n  groupId: g", flags: CommandLineOverrides()).kafka.groupId == "g")
    }
}

@Suite("Configuration: which file is read")
struct ConfigurationFileChoiceTests {
    /// Loads with a file system of `files`, returning the configuration and the paths that were read.
    func load(files: [String: String], environment: [String: String], flags: CommandLineOverrides = CommandLineOverrides())
        throws -> (VigilConfiguration, [String])
    {
        var read: [String] = []
        let configuration = try ConfigurationLoader.load(overrides: flags, environment: environment) { path in
            read.append(path)
            guard let text = files[path] else { throw Load.NoSuchFile() }
            return text
        }
        return (configuration, read)
    }

    @Test("VIGIL_CONFIG names the file")
    func environmentNamesTheFile() throws {
        let (configuration, read) = try load(files: ["/etc/vigil/a.yaml": "kafka:\n  groupId: from-a"], environment: ["VIGIL_CONFIG": "/etc/vigil/a.yaml"])
        #expect(read == ["/etc/vigil/a.yaml"])
        #expect(configuration.kafka.groupId == "from-a")
    }

    @Test("--config wins over VIGIL_CONFIG")
    func flagNamesTheFile() throws {
        let (configuration, read) = try load(
            files: ["/a.yaml": "kafka:\n  groupId: from-a", "/b.yaml": "kafka:\n  groupId: from-b"],
            environment: ["VIGIL_CONFIG": "/a.yaml"], flags: .with { $0.configFile = "/b.yaml" })
        #expect(read == ["/b.yaml"])
        #expect(configuration.kafka.groupId == "from-b")
    }

    @Test("without --config or VIGIL_CONFIG no file is read")
    func noFile() throws {
        let (configuration, read) = try load(files: [:], environment: ["VIGIL_GROUP_ID": "g"])
        #expect(read == [])
        #expect(configuration.kafka.groupId == "g")
    }

    @Test("a file that cannot be read is a configuration error naming the path")
    func unreadableFile() {
        #expect(throws: ConfigurationError.self) {
            try load(files: [:], environment: ["VIGIL_CONFIG": "/missing.yaml"])
        }
        let error = Load.error(flags: .with { $0.configFile = "/missing.yaml" })
        #expect(error?.message.hasPrefix("cannot read the configuration file /missing.yaml: ") == true)
    }
}
