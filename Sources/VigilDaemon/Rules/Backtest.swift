import Foundation
import VigilCore

/// `vigil rules backtest`: replays recorded events through a candidate and a baseline rule set on a virtual clock
/// (timers and escalations fire at their due times) and compares what each would have published. Read-only.
public enum Backtest {
    public struct Summary: Sendable, Equatable {
        /// `firing` alerts.
        public var alerts = 0
        public var byRule: [String: Int] = [:]
        /// Pages per 100 patient-days: firing alerts published with `notify: true` (that opened a patient's alert
        /// group or broke through it). Escalations are left out, like everywhere in the report: whether they happen
        /// depends on acknowledgements that recorded input may not hold.
        public var pagesPer100PatientDays = 0.0
        public var pages = 0
        public var patients = 0
        /// Each patient counts from their first event to the end of the replay, at least one day.
        public var patientDays = 0.0
    }

    public struct Report: Sendable {
        public var candidate: Summary
        public var baseline: Summary
        public var onlyCandidate: [Alert]
        public var onlyBaseline: [Alert]
        /// Input lines or messages that are not valid events (CONTRACT.md's dead-letter cases), left out.
        public var invalidEvents: Int
    }

    /// One published alert and what triggered it: the event (`source`, `id`), or the timer for an absence alert.
    struct Published {
        var alert: Alert
        var trigger: String

        /// How the two sides' alerts are matched: patient, rule, severity and triggering event.
        var key: String { "\(alert.patientId)\u{1F}\(alert.rule)\u{1F}\(alert.severity.name)\u{1F}\(trigger)" }
    }

    public static func run(events: [PatientEvent], invalidEvents: Int = 0, candidate: RuleEngine, baseline: RuleEngine, until: Date? = nil) -> Report {
        let end = max(until ?? .distantPast, events.map(\.time).max() ?? .distantPast)
        let candidateAlerts = replay(events, engine: candidate, until: end)
        let baselineAlerts = replay(events, engine: baseline, until: end)
        var firstSeen: [String: Date] = [:]
        for event in events where event.time < firstSeen[event.patientId] ?? .distantFuture { firstSeen[event.patientId] = event.time }
        let patientDays = firstSeen.values.reduce(0.0) { $0 + max(1, end.timeIntervalSince($1) / 86_400) }
        return Report(
            candidate: summary(candidateAlerts, patients: firstSeen.count, patientDays: patientDays),
            baseline: summary(baselineAlerts, patients: firstSeen.count, patientDays: patientDays),
            onlyCandidate: difference(candidateAlerts, baselineAlerts),
            onlyBaseline: difference(baselineAlerts, candidateAlerts),
            invalidEvents: invalidEvents
        )
    }

    /// The firing alerts of one rule set, in publication order.
    static func replay(_ events: [PatientEvent], engine: RuleEngine, until end: Date) -> [Published] {
        guard let first = events.first?.time else { return [] }
        var run = VirtualClockRun(engine: engine, clock: first)
        var published: [Published] = []
        func collect(_ alerts: some Sequence<Alert>, trigger: (Alert) -> String) {
            for alert in alerts where alert.status == .firing {
                published.append(Published(alert: alert, trigger: trigger(alert)))
            }
        }
        let timer = { (alert: Alert) in "timer@\(RFC3339.format(alert.triggeredAt))" }
        for event in events {
            let before = run.published.count
            run.advance(to: event.time)
            collect(run.published[before...], trigger: timer)
            // The engine says which alert the event triggered; its other alerts are absence alerts that came due.
            let result = run.process(event)
            collect(result.timerAlerts, trigger: timer)
            collect(result.alert.map { [$0] } ?? []) { _ in "\(event.source)\u{1F}\(event.id)" }
        }
        let before = run.published.count
        run.advance(to: end)
        collect(run.published[before...], trigger: timer)
        return published
    }

    static func summary(_ alerts: [Published], patients: Int, patientDays: Double) -> Summary {
        var summary = Summary(patients: patients, patientDays: patientDays)
        summary.alerts = alerts.count
        summary.pages = alerts.count { $0.alert.notify }
        for alert in alerts { summary.byRule[alert.alert.rule, default: 0] += 1 }
        summary.pagesPer100PatientDays = patientDays > 0 ? Double(summary.pages) / patientDays * 100 : 0
        return summary
    }

    /// The alerts of `mine` with no counterpart in `theirs`, as a multiset.
    static func difference(_ mine: [Published], _ theirs: [Published]) -> [Alert] {
        var remaining: [String: Int] = [:]
        for alert in theirs { remaining[alert.key, default: 0] += 1 }
        var only: [Alert] = []
        for alert in mine {
            if let count = remaining[alert.key], count > 0 { remaining[alert.key] = count - 1 } else { only.append(alert.alert) }
        }
        return only
    }
}
