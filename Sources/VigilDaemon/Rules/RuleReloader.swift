import Foundation
import Logging
import Metrics
import Synchronization
import VigilCore

/// Reloads the rules (`SIGHUP`, `POST /-/reload`): re-reads the configuration with the same flags and environment,
/// builds and validates the new rule set away from the processing thread, and offers it to the loop, which swaps it
/// in between two events. On any error the running set stays. Other changed keys are reported as needing a
/// restart and are not applied.
final class RuleReloader: Sendable {
    enum Outcome: Sendable {
        case reloaded(RuleSet, restartRequired: [String])
        case failed(String)
    }

    private let readConfiguration: @Sendable () throws(ConfigurationError) -> VigilConfiguration
    private let registry: RuleModuleRegistry
    private let running: VigilConfiguration
    /// One per processing loop.
    private let handoffs: [EngineHandoff]
    private let logger: Logger
    private let state: Mutex<RuleSet>
    /// Held while a new set is built, so that two reloads never interleave; `/status` reads `state` meanwhile.
    private let building = Mutex<Int>(0)
    private let succeeded: Gauge
    private let lastReload: Gauge
    private let successes: Counter
    private let failures: Counter

    init(
        ruleSet: RuleSet, running: VigilConfiguration, registry: RuleModuleRegistry, handoffs: [EngineHandoff], factory: any MetricsFactory,
        logger: Logger, readConfiguration: @escaping @Sendable () throws(ConfigurationError) -> VigilConfiguration
    ) {
        self.state = Mutex(ruleSet)
        self.running = running
        self.registry = registry
        self.handoffs = handoffs
        self.logger = logger
        self.readConfiguration = readConfiguration
        succeeded = Gauge(label: "vigil_rules_reload_success", factory: factory)
        lastReload = Gauge(label: "vigil_rules_last_reload_timestamp_seconds", factory: factory)
        successes = Counter(label: "vigil_rules_reloads_total", dimensions: [("result", "success")], factory: factory)
        failures = Counter(label: "vigil_rules_reloads_total", dimensions: [("result", "failure")], factory: factory)
        succeeded.record(1)
        lastReload.record(Date().timeIntervalSince1970)
    }

    /// The rule set in force (the last one offered to the loop).
    var ruleSet: RuleSet { state.withLock { $0 } }

    /// One reload at a time: the lock is held while the new set is built, so two signals cannot interleave.
    func reload() -> Outcome {
        building.withLock { reloads in
            reloads += 1
            let outcome: Outcome
            do throws(ConfigurationError) {
                var configuration = try readConfiguration()
                var restartRequired = Self.restartRequired(running, configuration)
                // The absence rules run on timers scheduled from the policy in force: switching one on for patients
                // already idle would need every patient rescheduled, so their settings wait for a restart.
                for ruleId in TimerPolicy().ruleIds where configuration.rules.settings[ruleId] != running.rules.settings[ruleId] {
                    restartRequired.append("rules.\(ruleId)")
                    configuration.rules.settings[ruleId] = running.rules.settings[ruleId]
                }
                let ruleSet = try registry.ruleSet(for: configuration.rules, timers: running.timerPolicy())
                for handoff in handoffs { handoff.offer(ruleSet.engine) }
                state.withLock { $0 = ruleSet }
                outcome = .reloaded(ruleSet, restartRequired: restartRequired)
            } catch {
                outcome = .failed(error.message)
            }
            record(outcome)
            return outcome
        }
    }

    private func record(_ outcome: Outcome) {
        switch outcome {
        case .reloaded(let ruleSet, let restartRequired):
            successes.increment()
            succeeded.record(1)
            lastReload.record(Date().timeIntervalSince1970)
            logger.notice("rules reloaded", metadata: [
                "vigil.rules.hash": .string(ruleSet.hash), "vigil.rules": .stringConvertible(ruleSet.rules.count),
                "vigil.restart_required": .array(restartRequired.map { .string($0) }),
            ])
            if !restartRequired.isEmpty {
                logger.warning("changed settings need a restart and were not applied", metadata: ["vigil.restart_required": .array(restartRequired.map { .string($0) })])
            }
        case .failed(let message):
            failures.increment()
            succeeded.record(0)
            // The message names files, lines and rule parameters: configuration, not patient data.
            logger.error("rule reload failed; the running rules stay", metadata: ["vigil.error": .string(message)])
        }
    }

    /// The settings outside `rules` that differ, as `section.key`: they take effect only at a restart.
    static func restartRequired(_ running: VigilConfiguration, _ reread: VigilConfiguration) -> [String] {
        var changed: [String] = []
        let old = Mirror(reflecting: running).children
        let new = Dictionary(Mirror(reflecting: reread).children.compactMap { child in child.label.map { ($0, child.value) } }, uniquingKeysWith: { first, _ in first })
        for child in old {
            guard let section = child.label, section != "rules", let value = new[section] else { continue }
            guard !Self.same(child.value, value) else { continue }
            let oldKeys = Mirror(reflecting: child.value).children
            let newKeys = Dictionary(Mirror(reflecting: value).children.compactMap { key in key.label.map { ($0, key.value) } }, uniquingKeysWith: { first, _ in first })
            if oldKeys.isEmpty {
                changed.append(section)
                continue
            }
            for key in oldKeys {
                guard let name = key.label, let newValue = newKeys[name], !Self.same(key.value, newValue) else { continue }
                changed.append("\(section).\(name)")
            }
        }
        return changed
    }

    /// `==` where the values have it (dictionaries print in no fixed order), else their descriptions.
    private static func same(_ a: Any, _ b: Any) -> Bool {
        guard let equatable = a as? any Equatable else { return String(reflecting: a) == String(reflecting: b) }
        return equatable.isEqual(to: b)
    }
}

extension Equatable {
    fileprivate func isEqual(to other: Any) -> Bool {
        (other as? Self) == self
    }
}
