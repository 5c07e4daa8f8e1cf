import Foundation
import VigilCore

/// `vigil bench --engine-only`: the rule engine alone over the bench's events, no broker, for the chosen rules
/// and the compiled `builtin` module in alternating rounds of one run, so that machine noise hits both alike.
extension Benchmark {
    public struct EngineComparison: Sendable {
        /// Best round's nanoseconds an event, for the chosen rules and for `builtin`.
        public var rulesNanoseconds: Double
        public var builtinNanoseconds: Double
        public var alerts: Int

        public var text: String {
            """
            engine only, best of rounds:
              --rules:  \(String(format: "%.0f", rulesNanoseconds)) ns/event (\(String(format: "%.0f", 1e9 / rulesNanoseconds)) events/s)
              builtin:  \(String(format: "%.0f", builtinNanoseconds)) ns/event (\(String(format: "%.0f", 1e9 / builtinNanoseconds)) events/s)
              ratio:    \(String(format: "%.2f", builtinNanoseconds / rulesNanoseconds))x builtin's throughput
              alerts:   \(alerts) a round
            """
        }
    }

    public static func compareEngines(options: BenchmarkOptions, modules: RuleModuleRegistry, rounds: Int = 5) throws -> EngineComparison {
        let rules = try modules.ruleSet(for: options.rules).engine
        let builtin = try modules.ruleSet(for: VigilConfiguration.Rules()).engine
        let start = Date().addingTimeInterval(-Double(options.events))
        let events = (0..<options.events).map { index in
            let score = alerts(index) ? 8 + index % 3 : (index * 7) % 6
            return PatientEvent(
                id: "bench-\(index)", source: SyntheticEvent.source, time: start.addingTimeInterval(Double(index)),
                patientId: String(format: "P-%07d", index % options.patients), payload: .craving(Craving(score: Double(score), substance: "ketamine")))
        }
        var best = (rules: Double.infinity, builtin: Double.infinity)
        var alertCount = 0
        for _ in 0..<rounds {
            let (rulesTime, rulesAlerts) = time(rules, events)
            let (builtinTime, _) = time(builtin, events)
            best = (min(best.rules, rulesTime), min(best.builtin, builtinTime))
            alertCount = rulesAlerts
        }
        return EngineComparison(rulesNanoseconds: best.rules / Double(events.count), builtinNanoseconds: best.builtin / Double(events.count), alerts: alertCount)
    }

    private static func time(_ engine: RuleEngine, _ events: [PatientEvent]) -> (nanoseconds: Double, alerts: Int) {
        var states: [String: PatientState] = [:]
        states.reserveCapacity(events.count)
        var alerts = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for event in events {
                let result = engine.process(event, state: &states[event.patientId, default: PatientState()], detectedAt: event.time)
                if result.alert != nil { alerts += 1 }
            }
        }
        return (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9, alerts)
    }
}
