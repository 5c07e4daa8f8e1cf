import Foundation
import VigilCore

/// Runs a synthetic cohort through a rule engine on a virtual clock (timers and escalations fire at their due
/// times) and measures what the care team's phone would do: pages per risk episode, pages on
/// calm days, whether every episode and every critical event was paged. `vigil bench --cohort` prints it for
/// grouping on and off; the README quotes it.
public struct CohortStudy: Sendable {
    public struct Figures: Sendable, Equatable {
        public var episodes = 0
        /// Episodes with a page (a firing alert that notifies) within a day of them (`Episode.span`).
        public var episodesPaged = 0
        /// Firing alerts published (paging or not).
        public var firingAlerts = 0
        /// Firing alerts that notify, within a day of an episode and outside that.
        public var episodePages = 0
        public var calmPages = 0
        /// Escalations of unacknowledged pages (each one pages again), within a day of an episode.
        public var escalations = 0
        public var episodeEscalations = 0
        public var calmPatientDays = 0.0
        public var criticalEvents = 0
        /// Critical events with a critical page triggered by that very event.
        public var criticalEventsPagedAtEvent = 0

        public var pagesPerEpisode: Double { episodes > 0 ? Double(episodePages) / Double(episodes) : 0 }
        public var escalationsPerEpisode: Double { episodes > 0 ? Double(episodeEscalations) / Double(episodes) : 0 }
        public var calmPagesPer100PatientDays: Double { calmPatientDays > 0 ? Double(calmPages) / calmPatientDays * 100 : 0 }
    }

    public let cohort: SyntheticCohort

    public init(cohort: SyntheticCohort) {
        self.cohort = cohort
    }

    /// A care team that acknowledges every page (`care.alert-ack.v1`) this long after it was sent; nil: nobody
    /// acknowledges, so every page escalates as far as it goes.
    public struct CareTeam: Sendable {
        public var critical: TimeInterval
        public var other: TimeInterval

        public init(critical: TimeInterval, other: TimeInterval) {
            self.critical = critical
            self.other = other
        }

        /// Within the escalation delays of CLINICAL.md: 10 minutes for a critical page, an hour for any other.
        public static let responsive = CareTeam(critical: 600, other: 3600)
    }

    public func run(engine: RuleEngine, careTeam: CareTeam? = nil) -> (figures: Figures, alerts: [Alert]) {
        let end = cohort.start.addingTimeInterval(Double(cohort.days) * 86_400)
        var run = VirtualClockRun(engine: engine, clock: cohort.start)
        var acknowledgements: [(time: Date, alert: Alert)] = []
        var seen = 0
        func scheduleAcknowledgements() {
            guard let careTeam else { return }
            for alert in run.published[seen...] where alert.notify {
                acknowledgements.append((alert.detectedAt.addingTimeInterval(alert.severity == .critical ? careTeam.critical : careTeam.other), alert))
            }
            seen = run.published.count
            acknowledgements.sort { $0.time > $1.time }  // the next one last
        }
        func acknowledge(upTo limit: Date) {
            while let next = acknowledgements.last, next.time <= limit {
                acknowledgements.removeLast()
                run.advance(to: next.time)
                scheduleAcknowledgements()
                run.process(PatientEvent(
                    id: "ack-\(next.alert.alertId)", source: "cohort://care-team", time: next.time, patientId: next.alert.patientId,
                    payload: .alertAck(AlertAck(alertId: next.alert.alertId, action: .acknowledged))))
                scheduleAcknowledgements()
            }
        }
        for event in cohort.events {
            acknowledge(upTo: event.time)
            run.advance(to: event.time)
            run.process(event)
            scheduleAcknowledgements()
        }
        acknowledge(upTo: end)
        run.advance(to: end)
        return (measure(run.published), run.published)
    }

    func measure(_ alerts: [Alert]) -> Figures {
        var figures = Figures()
        let pages = alerts.filter { $0.status == .firing && $0.notify }
        figures.firingAlerts = alerts.count { $0.status == .firing }
        let escalations = alerts.filter { $0.status == .escalated }
        figures.escalations = escalations.count
        figures.episodeEscalations = escalations.count { cohort.isEpisodeTime(patientId: $0.patientId, $0.triggeredAt) }
        let pagesByPatient = Dictionary(grouping: pages, by: \.patientId)
        figures.episodes = cohort.episodes.count
        figures.episodesPaged = cohort.episodes.count { episode in
            pagesByPatient[episode.patientId]?.contains { episode.span.contains($0.triggeredAt) } ?? false
        }
        for page in pages {
            if cohort.isEpisodeTime(patientId: page.patientId, page.triggeredAt) { figures.episodePages += 1 } else { figures.calmPages += 1 }
        }
        // Every patient-day outside the episodes' spans (clipped to the cohort's days; episodes never overlap).
        let cohortDays = cohort.start..<cohort.start.addingTimeInterval(Double(cohort.days) * 86_400)
        let episodeDays = cohort.episodes.reduce(0.0) { total, episode in
            let span = episode.span.clamped(to: cohortDays)
            return total + span.upperBound.timeIntervalSince(span.lowerBound) / 86_400
        }
        figures.calmPatientDays = Double(cohort.patients * cohort.days) - episodeDays
        figures.criticalEvents = cohort.criticalEvents.count
        figures.criticalEventsPagedAtEvent = cohort.criticalEvents.count { critical in
            pagesByPatient[critical.patientId]?.contains {
                $0.severity == .critical && $0.triggeredAt == critical.time && $0.evidence.contains { $0.eventId == critical.eventId }
            } ?? false
        }
        return figures
    }
}
