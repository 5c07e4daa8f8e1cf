import Foundation
import VigilCore

/// `vigil bench --cohort`: a seeded synthetic cohort through the rules with alert grouping on (the configured
/// window) and off (`grouping.window: 0s`), side by side: what a care team's phone would do.
extension Benchmark {
    public struct CohortComparison: Sendable {
        public var patients: Int
        public var days: Int
        public var seed: UInt64
        public var groupingWindow: TimeInterval
        public var grouped: CohortStudy.Figures
        public var ungrouped: CohortStudy.Figures

        public var text: String {
            func row(_ name: String, _ value: (CohortStudy.Figures) -> String) -> String {
                name.padding(toLength: 40, withPad: " ", startingAt: 0) + value(grouped).padding(toLength: 14, withPad: " ", startingAt: 0) + value(ungrouped)
            }
            func ratio(_ part: Int, _ whole: Int) -> String { "\(part)/\(whole)" }
            return [
                "cohort: \(patients) patients, \(days) days, seed \(seed); \(grouped.episodes) risk episodes, \(grouped.criticalEvents) critical events",
                "grouping".padding(toLength: 40, withPad: " ", startingAt: 0)
                    + "window \(DurationText.text(groupingWindow))".padding(toLength: 14, withPad: " ", startingAt: 0) + "off (0s)",
                row("pages per episode", { String(format: "%.2f", $0.pagesPerEpisode) }),
                row("episodes paged", { ratio($0.episodesPaged, $0.episodes) }),
                row("critical events paged at the event", { ratio($0.criticalEventsPagedAtEvent, $0.criticalEvents) }),
                row("pages per 100 calm patient-days", { String(format: "%.2f", $0.calmPagesPer100PatientDays) }),
                row("firing alerts (all published)", { "\($0.firingAlerts)" }),
                row("pages (firing, notify true)", { "\($0.episodePages + $0.calmPages)" }),
                row("escalations (nobody acknowledges)", { "\($0.escalations)" }),
            ].joined(separator: "\n")
        }
    }

    public static func compareCohort(
        rules: VigilConfiguration.Rules, modules: RuleModuleRegistry, patients: Int, days: Int, seed: UInt64,
        policy: TimerPolicy = TimerPolicy()
    ) throws -> CohortComparison {
        let study = CohortStudy(cohort: SyntheticCohort(patients: patients, days: days, seed: seed))
        var ungroupedPolicy = policy
        ungroupedPolicy.groupingWindow = 0
        let grouped = study.run(engine: try modules.ruleSet(for: rules, timers: policy).engine).figures
        let ungrouped = study.run(engine: try modules.ruleSet(for: rules, timers: ungroupedPolicy).engine).figures
        return CohortComparison(patients: patients, days: days, seed: seed, groupingWindow: policy.groupingWindow, grouped: grouped, ungrouped: ungrouped)
    }
}
