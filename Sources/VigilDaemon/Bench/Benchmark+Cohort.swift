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
        /// Nobody acknowledges in Vigil (the care team answers pages elsewhere).
        public var grouped: CohortStudy.Figures
        public var ungrouped: CohortStudy.Figures
        /// A responsive care team acknowledges every page (`CohortStudy.CareTeam.responsive`), which closes its group.
        public var groupedAcknowledged: CohortStudy.Figures
        public var ungroupedAcknowledged: CohortStudy.Figures

        private static func hours(_ seconds: TimeInterval) -> String {
            seconds.truncatingRemainder(dividingBy: 3600) == 0 ? "\(Int(seconds / 3600))h" : DurationText.text(seconds)
        }

        public var text: String {
            func row(_ name: String, acknowledged: Bool = false, _ value: (CohortStudy.Figures) -> String) -> String {
                let (on, off) = acknowledged ? (groupedAcknowledged, ungroupedAcknowledged) : (grouped, ungrouped)
                return name.padding(toLength: 40, withPad: " ", startingAt: 0) + value(on).padding(toLength: 14, withPad: " ", startingAt: 0) + value(off)
            }
            func ratio(_ part: Int, _ whole: Int) -> String { "\(part)/\(whole)" }
            return [
                "cohort: \(patients) patients, \(days) days, seed \(seed); \(grouped.episodes) risk episodes, \(grouped.criticalEvents) critical events",
                "grouping".padding(toLength: 40, withPad: " ", startingAt: 0)
                    + "window \(Self.hours(groupingWindow))".padding(toLength: 14, withPad: " ", startingAt: 0) + "off (0s)",
                row("pages per episode", { String(format: "%.2f", $0.pagesPerEpisode) }),
                row("episodes paged", { ratio($0.episodesPaged, $0.episodes) }),
                row("critical events paged at the event", { ratio($0.criticalEventsPagedAtEvent, $0.criticalEvents) }),
                row("pages per 100 calm patient-days", { String(format: "%.2f", $0.calmPagesPer100PatientDays) }),
                row("firing alerts (all published)", { "\($0.firingAlerts)" }),
                row("pages (firing, notify true)", { "\($0.episodePages + $0.calmPages)" }),
                row("escalations per episode (nobody acks)", { String(format: "%.2f", $0.escalationsPerEpisode) }),
                row("escalations (all)", { "\($0.escalations)" }),
                "a care team that acknowledges every page (critical in 10 min, others in 1 h; closes the group):",
                row("  pages per episode", acknowledged: true, { String(format: "%.2f", $0.pagesPerEpisode) }),
                row("  escalations per episode", acknowledged: true, { String(format: "%.2f", $0.escalationsPerEpisode) }),
                row("  episodes paged", acknowledged: true, { ratio($0.episodesPaged, $0.episodes) }),
                row("  critical events paged at the event", acknowledged: true, { ratio($0.criticalEventsPagedAtEvent, $0.criticalEvents) }),
                row("  pages per 100 calm patient-days", acknowledged: true, { String(format: "%.2f", $0.calmPagesPer100PatientDays) }),
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
        let groupedEngine = try modules.ruleSet(for: rules, timers: policy).engine
        let ungroupedEngine = try modules.ruleSet(for: rules, timers: ungroupedPolicy).engine
        return CohortComparison(
            patients: patients, days: days, seed: seed, groupingWindow: policy.groupingWindow,
            grouped: study.run(engine: groupedEngine).figures, ungrouped: study.run(engine: ungroupedEngine).figures,
            groupedAcknowledged: study.run(engine: groupedEngine, careTeam: .responsive).figures,
            ungroupedAcknowledged: study.run(engine: ungroupedEngine, careTeam: .responsive).figures)
    }
}
