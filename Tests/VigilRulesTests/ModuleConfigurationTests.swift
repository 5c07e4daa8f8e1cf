import Foundation
import Testing
import VigilCore
import VigilRules

@Suite struct ModuleConfigurationTests {
    let module = BuiltinRuleModule()

    static let priorityOrder = [
        "suicidal-ideation", "severe-withdrawal", "help-request", "polysubstance", "substance-use",
        "craving-spike", "combined-risk", "rising-craving", "cue-exposure", "missed-appointments",
    ]

    @Test func nameAndRuleIdsInPriorityOrder() {
        #expect(module.name == "builtin")
        #expect(module.ruleIds == Self.priorityOrder)
    }

    @Test func defaultsBuildEveryRuleInPriorityOrder() throws {
        let rules = try module.makeRules(settings: [:])
        #expect(rules.map(\.id) == Self.priorityOrder)
        #expect(rules.allSatisfy { $0.version == 1 })
        #expect(rules.map(\.lookback) == [0, 0, 0, .days(7), 0, .days(14), .hours(24), .hours(72), .hours(6), .days(30)])
    }

    @Test func aDisabledRuleIsAbsent() throws {
        let rules = try module.makeRules(settings: settings("cue-exposure", ["enabled": .bool(false)]))
        #expect(rules.map(\.id) == Self.priorityOrder.filter { $0 != "cue-exposure" })
    }

    @Test func aConfiguredSeverityReplacesTheRulesOwn() throws {
        let rule = try RuleHarness("craving-spike", ["severity": .string("critical")])
        #expect(rule.evaluate(Make.craving(9, at: 0))?.severity == .critical)
    }

    @Test func aLongerWindowLengthensTheLookback() throws {
        let rules = try module.makeRules(settings: settings("missed-appointments", ["window": .string("60d")]))
        #expect(rules.last?.lookback == .days(60))
    }

    @Test func anUnknownRuleIdIsRefused() {
        #expect(throws: RuleConfigurationError(rule: "craving-spikes", parameter: nil, reason: "unknown rule for module builtin")) {
            try module.makeRules(settings: settings("craving-spikes", [:]))
        }
    }

    @Test(arguments: [
        ("craving-spike", "highThreshhold", RuleSettings.Value.number(8), "unknown parameter"),
        ("craving-spike", "highThreshold", .string("8"), "must be a number from 0 to 10"),
        ("craving-spike", "highThreshold", .number(11), "must be a number from 0 to 10"),
        ("craving-spike", "minimumBaselineScores", .number(4.5), "must be a whole number from 1 to 100"),
        ("craving-spike", "baselineWindow", .string("60d"), "must be a duration from 1d to 30d"),
        ("craving-spike", "baselineWindow", .string("two weeks"), "must be a duration such as 90s, 15m, 24h or 7d"),
        ("craving-spike", "enabled", .string("yes"), "must be true or false"),
        ("craving-spike", "severity", .string("urgent"), "must be one of low, medium, high, critical"),
        ("craving-spike", "cooldown", .number(24), "must be a duration such as 90s, 15m, 24h or 7d"),
        ("suicidal-ideation", "threshold", .number(0), "must be a whole number from 1 to 3"),
        ("severe-withdrawal", "cowsCritical", .number(49), "must be a number from 1 to 48"),
        ("help-request", "threshold", .number(1), "unknown parameter"),
        ("polysubstance", "opioids", .list([]), "must be a non-empty list of substance names"),
        ("polysubstance", "sedatives", .list([.number(1)]), "must be a list of strings"),
        ("polysubstance", "sedatives", .list([.string("Ketamine")]), "must not repeat ketamine, which is listed in opioids"),
        ("polysubstance", "minimumSubstances", .number(1), "must be a whole number from 2 to 10"),
        ("combined-risk", "window", .string("8d"), "must be a duration from 1h to 7d"),
        ("rising-craving", "consecutiveScores", .number(1), "must be a whole number from 2 to 10"),
        ("cue-exposure", "window", .string("2d"), "must be a duration from 1m to 1d"),
        ("missed-appointments", "consecutiveMissed", .number(11), "must be a whole number from 2 to 10"),
    ])
    func badParametersAreRefusedNamingRuleAndParameter(rule: String, parameter: String, value: RuleSettings.Value, reason: String) {
        #expect(throws: RuleConfigurationError(rule: rule, parameter: parameter, reason: reason)) {
            try module.makeRules(settings: settings(rule, [parameter: value]))
        }
    }

    @Test(arguments: [
        ("craving-spike", ["highThreshold": RuleSettings.Value.number(6), "mediumFloor": .number(7)], "mediumFloor", "must not exceed highThreshold"),
        ("rising-craving", ["highThreshold": .number(4)], "mediumFloor", "must not exceed highThreshold"),
        ("severe-withdrawal", ["ciwaArHigh": .number(16)], "ciwaArHigh", "must not exceed ciwaArCritical"),
        ("severe-withdrawal", ["cowsCritical": .number(12)], "cowsHigh", "must not exceed cowsCritical"),
    ])
    func inconsistentParametersAreRefused(rule: String, values: [String: RuleSettings.Value], parameter: String, reason: String) {
        #expect(throws: RuleConfigurationError(rule: rule, parameter: parameter, reason: reason)) {
            try module.makeRules(settings: settings(rule, values))
        }
    }

    @Test func aDisabledRuleIsStillValidated() {
        #expect(throws: RuleConfigurationError(rule: "cue-exposure", parameter: "windw", reason: "unknown parameter")) {
            try module.makeRules(settings: settings("cue-exposure", ["enabled": .bool(false), "windw": .string("1h")]))
        }
    }

    @Test func theErrorMessageNamesRuleAndParameter() {
        let error = RuleConfigurationError(rule: "craving-spike", parameter: "highThreshold", reason: "must be a number from 0 to 10")
        #expect(error.description == "rules.craving-spike.highThreshold: must be a number from 0 to 10")
    }
}
