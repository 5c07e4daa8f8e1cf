import Testing
@testable import VigilDaemon

@Suite("Configuration: values in the file")
struct ConfigurationValuesTests {
    @Test("kafka.properties pass through as strings, typed YAML scalars included")
    func propertiesAsStrings() throws {
        let configuration = try Load.configuration(yaml: """
            kafka:
              properties:
                security.protocol: SASL_SSL
                sasl.mechanisms: SCRAM-SHA-512
                socket.keepalive.enable: true
                enable.idempotence: false
                message.send.max.retries: 5
                sasl.password: "change me"
            """)
        #expect(configuration.kafka.properties == [
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": "SCRAM-SHA-512",
            "socket.keepalive.enable": "true",
            "enable.idempotence": "false",
            "message.send.max.retries": "5",
            "sasl.password": "change me",
        ])
    }

    /// librdkafka gets what the operator wrote: a YAML 1.1 resolver must not turn a password `0123` into the octal
    /// number 83, nor a client id `1.10` into 1.1.
    @Test("a property keeps the text as written", arguments: [
        ("5", "5"),
        ("true", "true"),
        ("'quoted'", "quoted"),
        ("0123", "0123"),
        ("1.10", "1.10"),
        ("1_000", "1_000"),
        ("0x1F", "0x1F"),
    ])
    func propertyText(written: String, passed: String) throws {
        let configuration = try Load.configuration(yaml: "kafka:\n  properties:\n    sasl.password: \(written)")
        #expect(configuration.kafka.properties == ["sasl.password": passed])
    }

    @Test("a property that is not a scalar is refused, naming it")
    func propertyNotScalar() {
        #expect(Load.error(yaml: "kafka:\n  properties:\n    ssl:\n      ca: x") == ConfigurationError("kafka.properties.ssl: must be a scalar"))
        #expect(Load.error(yaml: "kafka:\n  properties:\n    ssl.ca.location: [a, b]") == ConfigurationError("kafka.properties.ssl.ca.location: must be a scalar"))
    }

    @Test("durations: whole numbers of ms, s, m, h or d", arguments: [
        ("500ms", 0.5), ("90s", 90.0), ("15m", 900.0), ("24h", 86_400.0), ("7d", 604_800.0),
    ])
    func durations(text: String, seconds: Double) throws {
        let configuration = try Load.configuration(yaml: """
            kafka:
              connectTimeout: \(text)
            limits:
              maxClockSkew: \(text)
            shutdownTimeout: \(text)
            """)
        #expect(configuration.kafka.connectTimeout == seconds)
        #expect(configuration.limits.maxClockSkew == seconds)
        #expect(configuration.shutdownTimeout == seconds)
        let fromEnvironment = try Load.configuration(environment: ["VIGIL_SHUTDOWN_TIMEOUT": text, "VIGIL_CONNECT_TIMEOUT": text])
        #expect(fromEnvironment.shutdownTimeout == seconds)
        #expect(fromEnvironment.kafka.connectTimeout == seconds)
    }

    @Test("comma-separated topic lists from the environment and flags are trimmed")
    func topicLists() throws {
        #expect(try Load.configuration(environment: ["VIGIL_INPUT_TOPICS": "a, b ,c"]).topics.inputs == ["a", "b", "c"])
        #expect(try Load.configuration(flags: .with { $0.inputTopics = "x" }).topics.inputs == ["x"])
    }

    @Test("http.host and logging.level from the file")
    func hostAndLogLevel() throws {
        let configuration = try Load.configuration(yaml: "http:\n  host: 0.0.0.0\n  port: 0\nlogging:\n  level: debug")
        #expect(configuration.http.host == "0.0.0.0")
        #expect(configuration.http.port == 0)
        #expect(configuration.logLevel == "debug")
    }

    @Test("a null value keeps the default")
    func nullKeepsDefault() throws {
        let configuration = try Load.configuration(yaml: "kafka:\n  groupId:\nhttp:\n  port: ~")
        #expect(configuration.kafka.groupId == "vigil")
        #expect(configuration.http.port == 8080)
    }
}
