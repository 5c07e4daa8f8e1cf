import Foundation
import Testing
import VigilCore
import VigilRules

/// One built-in rule, configured through the module as the daemon does, evaluated the way the engine calls it.
struct RuleHarness {
    let rule: any Rule

    init(_ id: String, _ values: [String: RuleSettings.Value] = [:]) throws {
        let rules = try BuiltinRuleModule().makeRules(settings: [id: RuleSettings(rule: id, values: values)])
        rule = try #require(rules.first { $0.id == id })
    }

    /// Records `earlier` in arrival order, then `event`, and evaluates the rule on `event` (the history holds it).
    func evaluate(_ event: PatientEvent, after earlier: [PatientEvent] = []) -> RuleMatch? {
        var history = PatientHistory()
        for previous in earlier { history.record(previous) }
        history.record(event)
        return rule.evaluate(event, history: history)
    }
}

/// One patient run through the `RuleEngine`, as the daemon's processing loop does.
struct EngineHarness {
    let engine: RuleEngine
    var state = PatientState()

    init(module: any RuleModule = BuiltinRuleModule(), settings: [String: RuleSettings] = [:]) throws {
        engine = RuleEngine(rules: try module.makeRules(settings: settings))
    }

    mutating func send(_ event: PatientEvent) -> EngineResult {
        engine.process(event, state: &state, detectedAt: event.time + 1)
    }
}

/// Settings for one rule, as the configuration file would give them.
func settings(_ rule: String, _ values: [String: RuleSettings.Value]) -> [String: RuleSettings] {
    [rule: RuleSettings(rule: rule, values: values)]
}
