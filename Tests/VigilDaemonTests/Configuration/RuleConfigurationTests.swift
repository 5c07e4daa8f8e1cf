import Foundation
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Configuration: rule module and per-rule settings")
struct RuleConfigurationTests {
    func engine(_ yaml: String, environment: [String: String] = [:]) throws -> (module: String, engine: RuleEngine) {
        let ruleSet = try Modules.registry.ruleSet(for: Load.configuration(yaml: yaml, environment: environment).rules)
        return (ruleSet.moduleName, ruleSet.engine)
    }

    func refusal(_ yaml: String) throws -> ConfigurationError? {
        let rules = try Load.configuration(yaml: yaml).rules
        do {
            _ = try Modules.registry.ruleSet(for: rules)
            return nil
        } catch {
            return error
        }
    }

    @Test("rules.<id>.<parameter> ends in configuration.rules.settings as typed values")
    func settingsFromTheFile() throws {
        let configuration = try Load.configuration(yaml: """
            rules:
              craving-spike: { cooldown: 12h }
              polysubstance:
                enabled: false
                opioids: [heroin, fentanyl]
                minimumSubstances: 3
                severity: critical
            """)
        #expect(configuration.rules.module == "builtin")
        #expect(configuration.rules.settings == [
            "craving-spike": RuleSettings(rule: "craving-spike", values: ["cooldown": .string("12h")]),
            "polysubstance": RuleSettings(rule: "polysubstance", values: [
                "enabled": .bool(false), "opioids": .list([.string("heroin"), .string("fentanyl")]),
                "minimumSubstances": .number(3), "severity": .string("critical"),
            ]),
        ])
    }

    @Test("valid settings build the builtin engine, and the configured values take effect")
    func validSettings() throws {
        let (module, engine) = try engine("""
            rules:
              craving-spike: { cooldown: 12h, highThreshold: 6 }
              cue-exposure: { enabled: false }
            """)
        #expect(module == "builtin")
        #expect(engine.rules.map(\.id) == Modules.builtinRuleIds.filter { $0 != "cue-exposure" })
        let cravingSpike = try #require(engine.rules.first { $0.id == "craving-spike" })
        let event = PatientEvent(
            id: "e-1", source: "app://test", time: Date(timeIntervalSince1970: 1_800_000_000), patientId: "P-1",
            payload: .craving(Craving(score: 6)))
        var history = PatientHistory()
        history.record(event)
        let match = try #require(cravingSpike.evaluate(event, history: history))
        #expect(match.severity == .high)
        #expect(match.cooldown == 12 * 3600)
        #expect(match.summary == "Craving 6/10 (threshold 6)")
    }

    @Test("a rule setting that the module refuses names the rule and the parameter", arguments: [
        ("craving-spikes: { cooldown: 12h }", "rules.craving-spikes: unknown rule for module builtin"),
        ("craving-spike: { highThreshhold: 8 }", "rules.craving-spike.highThreshhold: unknown parameter"),
        ("craving-spike: { highThreshold: \"8\" }", "rules.craving-spike.highThreshold: must be a number from 0 to 10"),
        ("craving-spike: { highThreshold: 11 }", "rules.craving-spike.highThreshold: must be a number from 0 to 10"),
        ("craving-spike: { cooldown: 12 }", "rules.craving-spike.cooldown: must be a duration such as 90s, 15m, 24h or 7d"),
        ("craving-spike: { enabled: maybe }", "rules.craving-spike.enabled: must be true or false"),
        ("craving-spike: { severity: urgent }", "rules.craving-spike.severity: must be one of low, medium, high, critical"),
        ("craving-spike: { baselineWindow: 60d }", "rules.craving-spike.baselineWindow: must be a duration from 1d to 30d"),
        ("craving-spike: { minimumBaselineScores: 0 }", "rules.craving-spike.minimumBaselineScores: must be a whole number from 1 to 100"),
        ("suicidal-ideation: { threshold: 4 }", "rules.suicidal-ideation.threshold: must be a whole number from 1 to 3"),
        ("missed-appointments: { consecutiveMissed: 1 }", "rules.missed-appointments.consecutiveMissed: must be a whole number from 2 to 10"),
        ("polysubstance: { opioids: heroin }", "rules.polysubstance.opioids: must be a list of strings"),
        ("help-request: { threshold: 1 }", "rules.help-request.threshold: unknown parameter"),
        ("cue-exposure: { enabled: false, window: 2d }", "rules.cue-exposure.window: must be a duration from 1m to 1d"),
    ])
    func refusedRuleSetting(yaml: String, message: String) throws {
        #expect(try refusal("rules:\n  \(yaml)") == ConfigurationError(message))
    }

    @Test("a rule setting that cannot be a rule value is refused while reading the file")
    func refusedRuleValue() {
        #expect(Load.error(yaml: "rules:\n  craving-spike: { highThreshold: { value: 8 } }")
            == ConfigurationError("rules.craving-spike.highThreshold: must be a number, true/false, a string or a list"))
        #expect(Load.error(yaml: "rules:\n  craving-spike: 8") == ConfigurationError("rules.craving-spike: must be a mapping"))
    }

    @Test("rules.module: example selects the example module; its engine has exactly its rules")
    func exampleModule() throws {
        let (module, engine) = try engine("rules:\n  module: example\n  craving-threshold: { threshold: 6 }")
        #expect(module == "example")
        #expect(engine.rules.map(\.id) == ["craving-threshold"])
        let event = PatientEvent(
            id: "e-1", source: "app://test", time: Date(timeIntervalSince1970: 1_800_000_000), patientId: "P-1",
            payload: .craving(Craving(score: 6)))
        let match = try #require(engine.rules[0].evaluate(event, history: PatientHistory()))
        #expect(match.severity == .medium)
        #expect(match.summary == "Craving 6/10 (threshold 6)")
    }

    @Test("VIGIL_RULES_MODULE selects the module too")
    func moduleFromEnvironment() throws {
        let (module, engine) = try engine("", environment: ["VIGIL_RULES_MODULE": "example"])
        #expect(module == "example")
        #expect(engine.rules.map(\.id) == ["craving-threshold"])
    }

    @Test("settings are checked against the selected module")
    func settingsOfAnotherModule() throws {
        #expect(try refusal("rules:\n  module: example\n  craving-spike: { cooldown: 12h }")
            == ConfigurationError("rules.craving-spike: unknown rule for module example"))
        #expect(try refusal("rules:\n  craving-threshold: { threshold: 6 }")
            == ConfigurationError("rules.craving-threshold: unknown rule for module builtin"))
    }

    @Test("an unknown module is refused, naming the available ones")
    func unknownModule() throws {
        #expect(try refusal("rules:\n  module: builtins") == ConfigurationError("rules.module: unknown module builtins; available: builtin, example, none"))
        #expect(Load.error(yaml: "rules:\n  module: 5") == ConfigurationError("rules.module: must be a string"))
    }
}
