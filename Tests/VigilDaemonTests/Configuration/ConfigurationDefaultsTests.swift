import Foundation
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Configuration: defaults and the example files")
struct ConfigurationDefaultsTests {
    @Test("with nothing configured every field has its documented default")
    func defaults() throws {
        let configuration = try Load.configuration()
        #expect(configuration.kafka.brokers == nil)
        #expect(configuration.kafka.groupId == "vigil")
        #expect(configuration.kafka.connectTimeout == 30)
        #expect(configuration.kafka.properties == [:])
        #expect(configuration.topics.inputs == ["patient.checkins", "patient.cravings", "care.alert-acks"])
        #expect(configuration.topics.alerts == "care.alerts")
        #expect(configuration.topics.deadLetter == "patient.events.dlq")
        #expect(configuration.http.port == 8080)
        #expect(configuration.http.host == "127.0.0.1")
        #expect(configuration.limits.maxEventBytes == 65_536)
        #expect(configuration.limits.maxClockSkew == 300)
        #expect(configuration.shutdownTimeout == 30)
        #expect(configuration.logLevel == "info")
        #expect(configuration.rules.module == "builtin")
        #expect(configuration.rules.settings == [:])
        #expect(configuration.embeddedBroker == false)
        #expect(configuration.topics.state == "vigil.patient-state")
        #expect(configuration.state.retention == 30 * 86_400)
        #expect(configuration.state.restoreTimeout == 300)
        #expect(configuration.processing.guarantee == .atLeastOnce)
        #expect(configuration.processing.transactionalId == nil)
        #expect(configuration.processing.maxIdle == 0.5)
        #expect(configuration.escalation.critical == [900, 1800])
        #expect(configuration.escalation.high == [14_400, 86_400])
    }

    @Test("an empty file, or one of comments only, keeps the defaults")
    func emptyFile() throws {
        #expect(try Load.configuration(yaml: "") == VigilConfiguration())
        #expect(try Load.configuration(yaml: "# nothing here\n") == VigilConfiguration())
    }

    @Test("the configuration file of CONTRACT.md loads field by field")
    func contractExample() throws {
        let configuration = try Load.configuration(yaml: Self.contractExample)
        #expect(configuration.kafka.brokers == "kafka-1:9092,kafka-2:9092")
        #expect(configuration.kafka.groupId == "vigil")
        #expect(configuration.kafka.connectTimeout == 30)
        #expect(configuration.kafka.properties == ["security.protocol": "SASL_SSL"])
        #expect(configuration.topics.inputs == ["patient.checkins", "patient.cravings"])
        #expect(configuration.topics.alerts == "care.alerts")
        #expect(configuration.topics.deadLetter == "patient.events.dlq")
        #expect(configuration.http.port == 8080)
        #expect(configuration.limits.maxEventBytes == 65_536)
        #expect(configuration.limits.maxClockSkew == 300)
        #expect(configuration.shutdownTimeout == 30)
        #expect(configuration.rules.module == "builtin")
        #expect(configuration.rules.settings == [
            "craving-spike": RuleSettings(rule: "craving-spike", values: ["enabled": .bool(true), "cooldown": .string("24h")])
        ])
        let ruleSet = try Modules.registry.ruleSet(for: configuration.rules)
        let engine = ruleSet.engine
        #expect(ruleSet.moduleName == "builtin")
        #expect(engine.rules.map(\.id) == Modules.builtinRuleIds)
    }

    @Test("deploy/vigil.example.yaml loads, and its rule settings are accepted by the builtin module")
    func deployExample() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("deploy/vigil.example.yaml").path
        let configuration = try ConfigurationLoader.load(overrides: .with { $0.configFile = path }, environment: [:])
        #expect(configuration.kafka.brokers == "kafka-1:9092,kafka-2:9092")
        #expect(configuration.kafka.groupId == "vigil")
        #expect(configuration.kafka.connectTimeout == 30)
        #expect(configuration.kafka.properties == ["client.id": "vigil"])
        #expect(configuration.topics == VigilConfiguration.Topics())
        #expect(configuration.http.port == 8080)
        #expect(configuration.limits == DecodingLimits(maxEventBytes: 65_536, maxClockSkew: 300))
        #expect(configuration.shutdownTimeout == 30)
        #expect(configuration.logLevel == "info")
        #expect(configuration.rules.module == "builtin")
        #expect(configuration.rules.settings == [
            "craving-spike": RuleSettings(
                rule: "craving-spike", values: ["enabled": .bool(true), "cooldown": .string("24h"), "highThreshold": .number(8)]),
            "missed-appointments": RuleSettings(
                rule: "missed-appointments", values: ["enabled": .bool(true), "cooldown": .string("24h")]),
            "missed-checkins": RuleSettings(rule: "missed-checkins", values: ["enabled": .bool(true)]),
            "silence-after-lapse": RuleSettings(rule: "silence-after-lapse", values: ["enabled": .bool(true)]),
        ])
        #expect(configuration.state == VigilConfiguration.State())
        #expect(configuration.processing == VigilConfiguration.Processing())
        #expect(configuration.escalation == VigilConfiguration.Escalation())
        let engine = try Modules.registry.ruleSet(for: configuration.rules).engine
        #expect(engine.rules.map(\.id) == Modules.builtinRuleIds)
        #expect(engine.timerPolicy.missedCheckinsEnabled && engine.timerPolicy.silenceAfterLapseEnabled)
    }

    static let contractExample = """
        kafka:
          brokers: "kafka-1:9092,kafka-2:9092"     # VIGIL_BROKERS, --brokers
          groupId: vigil                           # VIGIL_GROUP_ID, --group-id
          connectTimeout: 30s                      # give up at start-up (exit 69) after this
          properties:                              # passed to librdkafka as they are (TLS, SASL, tuning)
            security.protocol: SASL_SSL
        topics:
          inputs: [patient.checkins, patient.cravings]
          alerts: care.alerts
          deadLetter: patient.events.dlq
        http:
          port: 8080                               # VIGIL_HTTP_PORT, --http-port
        limits:
          maxEventBytes: 65536
          maxClockSkew: 5m
        shutdownTimeout: 30s
        rules:
          module: builtin                          # which rule module to load
          craving-spike:                           # per rule: enabled, severity, cooldown, and its own parameters
            enabled: true
            cooldown: 24h
        """
}
