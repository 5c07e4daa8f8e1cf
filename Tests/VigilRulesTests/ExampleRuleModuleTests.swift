import Foundation
import Testing
import VigilCore
import VigilExampleRules

@Suite struct ExampleRuleModuleTests {
    let module = ExampleRuleModule()

    @Test func oneRule() throws {
        #expect(module.name == "example")
        #expect(module.ruleIds == ["craving-threshold"])
        let rules = try module.makeRules(settings: [:])
        #expect(rules.map(\.id) == ["craving-threshold"])
        #expect(rules.first?.version == 1)
    }

    @Test(arguments: [(6.9, false), (7, true), (8, true)])
    func defaultThreshold(score: Double, fires: Bool) throws {
        var patient = try EngineHarness(module: module)
        let alert = patient.send(Make.craving(score, at: 0)).alert
        #expect((alert != nil) == fires)
        if let alert {
            #expect(alert.rule == "craving-threshold")
            #expect(alert.severity == .medium)
            #expect(alert.summary == "Craving \(score.compact)/10 (threshold 7)")
        }
    }

    @Test func configuredThresholdAndNoCooldownByDefault() throws {
        var patient = try EngineHarness(module: module, settings: settings("craving-threshold", ["threshold": .number(4)]))
        #expect(patient.send(Make.craving(4, at: 0)).alert != nil)
        #expect(patient.send(Make.craving(4, at: 1)).alert != nil)
        #expect(patient.send(Make.checkin(Checkin(helpRequested: true), at: 2)).alert == nil)
    }

    @Test func configurationIsValidated() throws {
        #expect(throws: RuleConfigurationError(rule: "craving-spike", parameter: nil, reason: "unknown rule for module example")) {
            try module.makeRules(settings: settings("craving-spike", [:]))
        }
        #expect(throws: RuleConfigurationError(rule: "craving-threshold", parameter: "treshold", reason: "unknown parameter")) {
            try module.makeRules(settings: settings("craving-threshold", ["treshold": .number(5)]))
        }
        #expect(try module.makeRules(settings: settings("craving-threshold", ["enabled": .bool(false)])).isEmpty)
    }
}
