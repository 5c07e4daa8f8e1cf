import Foundation
import Logging
import Prometheus
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Rules: what a reload applies, and what waits for a restart")
struct RuleReloaderTests {
    func reloader(running: VigilConfiguration, reread: VigilConfiguration) throws -> (RuleReloader, EngineHandoff) {
        let handoff = EngineHandoff()
        let ruleSet = try Modules.registry.ruleSet(for: running.rules, timers: running.timerPolicy())
        let reloader = RuleReloader(
            ruleSet: ruleSet, running: running, registry: Modules.registry, handoffs: [handoff],
            factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()), logger: Logger(label: "test"),
            readConfiguration: { reread })
        return (reloader, handoff)
    }

    @Test func aChangedThresholdIsHandedToTheLoopOnce() throws {
        var reread = VigilConfiguration()
        reread.rules.settings = ["craving-spike": RuleSettings(rule: "craving-spike", values: ["highThreshold": .number(9)])]
        let (reloader, handoff) = try reloader(running: VigilConfiguration(), reread: reread)
        guard case .reloaded(let ruleSet, let restartRequired) = reloader.reload() else {
            Issue.record("the reload failed")
            return
        }
        #expect(restartRequired.isEmpty)
        #expect(reloader.ruleSet.hash == ruleSet.hash)
        var seen: UInt64 = 0
        #expect(handoff.take(after: &seen) != nil)
        #expect(handoff.take(after: &seen) == nil, "the loop takes a reloaded engine once")
    }

    @Test func everyProcessingThreadGetsTheReloadedRules() throws {
        let running = VigilConfiguration()
        var reread = VigilConfiguration()
        reread.rules.settings = ["craving-spike": RuleSettings(rule: "craving-spike", values: ["highThreshold": .number(9)])]
        let handoffs = [EngineHandoff(), EngineHandoff()]
        let reloader = RuleReloader(
            ruleSet: try Modules.registry.ruleSet(for: running.rules, timers: running.timerPolicy()), running: running,
            registry: Modules.registry, handoffs: handoffs,
            factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()), logger: Logger(label: "test"),
            readConfiguration: { [reread] in reread })
        guard case .reloaded = reloader.reload() else {
            Issue.record("the reload failed")
            return
        }
        for handoff in handoffs {
            var seen: UInt64 = 0
            #expect(handoff.take(after: &seen) != nil, "each loop takes the reloaded engine")
        }
    }

    @Test func switchingAnAbsenceRuleWaitsForARestart() throws {
        var reread = VigilConfiguration()
        reread.rules.settings = ["missed-checkins": RuleSettings(rule: "missed-checkins", values: ["enabled": .bool(false)])]
        let (reloader, _) = try reloader(running: VigilConfiguration(), reread: reread)
        guard case .reloaded(let ruleSet, let restartRequired) = reloader.reload() else {
            Issue.record("the reload failed")
            return
        }
        #expect(restartRequired == ["rules.missed-checkins"])
        #expect(ruleSet.engine.timerPolicy.missedCheckinsEnabled, "not half-applied: the running policy stays")
    }

    @Test func aBadRuleFileKeepsTheRunningSet() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try "rules:\n  - id: x\n".write(toFile: path, atomically: true, encoding: .utf8)
        var reread = VigilConfiguration()
        reread.rules.files = [path]
        let (reloader, handoff) = try reloader(running: VigilConfiguration(), reread: reread)
        let before = reloader.ruleSet.hash
        guard case .failed(let message) = reloader.reload() else {
            Issue.record("a bad file reloaded")
            return
        }
        #expect(message.contains("\(path):2:5: a rule needs version"))
        #expect(reloader.ruleSet.hash == before)
        var seen: UInt64 = 0
        #expect(handoff.take(after: &seen) == nil)
    }

    @Test func theRuleSetHashDoesNotDependOnTheOrderSettingsWereWritten() throws {
        var first = VigilConfiguration.Rules()
        first.settings = ["craving-spike": RuleSettings(rule: "craving-spike", values: ["highThreshold": .number(9), "mediumFloor": .number(4), "cooldown": .string("12h"), "riseAboveBaseline": .number(2)])]
        var second = VigilConfiguration.Rules()
        var values: [String: RuleSettings.Value] = [:]
        for key in ["riseAboveBaseline", "cooldown", "mediumFloor", "highThreshold"] { values[key] = first.settings["craving-spike"]!.value(key) }
        second.settings = ["craving-spike": RuleSettings(rule: "craving-spike", values: values)]
        #expect(try Modules.registry.ruleSet(for: first).hash == Modules.registry.ruleSet(for: second).hash)
        var third = first
        third.settings["craving-spike"] = RuleSettings(rule: "craving-spike", values: ["highThreshold": .number(10)])
        #expect(try Modules.registry.ruleSet(for: third).hash != Modules.registry.ruleSet(for: first).hash)
    }
}
