import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Configuration: state, processing guarantee, escalation and absence rules")
struct DurableStateConfigurationTests {
    @Test("the file sets the state topic, retention, guarantee, merge bound and escalation delays")
    func fromFile() throws {
        let configuration = try Load.configuration(yaml: """
            topics:
              state: my.state
            state:
              retention: 7d
              restoreTimeout: 90s
            processing:
              guarantee: exactly-once
              transactionalId: vigil-0
              maxIdle: 2s
            escalation:
              critical: [1m, 2m]
              high: []
            """)
        #expect(configuration.topics.state == "my.state")
        #expect(configuration.state.retention == 7 * 86_400)
        #expect(configuration.state.restoreTimeout == 90)
        #expect(configuration.processing.guarantee == .exactlyOnce)
        #expect(configuration.processing.transactionalId == "vigil-0")
        #expect(configuration.processing.maxIdle == 2)
        let policy = configuration.timerPolicy()
        #expect(policy.escalationDelays[.critical] == [60, 120])
        #expect(policy.escalationDelays[.high] == [])
    }

    @Test("environment and flags override the file")
    func precedence() throws {
        let configuration = try ConfigurationLoader.load(
            overrides: .with { $0.processingGuarantee = "exactly-once" },
            environment: ["VIGIL_STATE_TOPIC": "env.state", "VIGIL_ESCALATION_CRITICAL": "5m,10m", "VIGIL_ESCALATION_HIGH": "", "VIGIL_MAX_IDLE": "100ms"])
        #expect(configuration.topics.state == "env.state")
        #expect(configuration.escalation.critical == [300, 600])
        #expect(configuration.escalation.high == [])
        #expect(configuration.processing.maxIdle == 0.1)
        #expect(configuration.processing.guarantee == .exactlyOnce)
    }

    @Test("bad values are refused, naming the key", arguments: [
        ("processing:\n  guarantee: twice", "processing.guarantee: must be at-least-once or exactly-once"),
        ("escalation:\n  critical: [30m, 15m]", "escalation.critical: delays must be in increasing order"),
        ("escalation:\n  high: 4h", "escalation.high: must be a list of durations such as [15m, 30m]"),
        ("state:\n  retention: forever", "state.retention: must be a duration such as 90s, 15m, 24h or 7d"),
        ("state:\n  compacted: true", "state.compacted: unknown key"),
        ("topics:\n  state: care.alerts", "topics: alerts, deadLetter and state must be three different topics"),
        ("topics:\n  state: patient.cravings", "topics: patient.cravings is both an input and an output topic"),
    ])
    func refused(yaml: String, message: String) {
        #expect(Load.error(yaml: yaml) == ConfigurationError(message))
    }

    @Test("the absence rules take `enabled` whatever the module, and nothing else")
    func absenceRuleSettings() throws {
        let configuration = try Load.configuration(yaml: "rules:\n  missed-checkins: { enabled: false }")
        let engine = try Modules.registry.ruleSet(for: configuration.rules).engine
        #expect(!engine.timerPolicy.missedCheckinsEnabled)
        #expect(engine.timerPolicy.silenceAfterLapseEnabled)
        let bad = try Load.configuration(yaml: "rules:\n  silence-after-lapse: { hours: 12 }")
        #expect(throws: ConfigurationError.self) { try Modules.registry.ruleSet(for: bad.rules) }
    }
}
