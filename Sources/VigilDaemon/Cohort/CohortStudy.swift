import Foundation
import VigilCore

/// Runs a synthetic cohort through a rule engine on a virtual clock (timers and escalations fire at their due
/// times; nobody acknowledges) and measures what the care team's phone would do: pages per risk episode, pages on
/// calm days, whether every episode and every critical event was paged. `vigil bench --cohort` prints it for
/// grouping on and off; the README quotes it.
public struct CohortStudy: Sendable {
    public struct Figures: Sendable, Equatable {
        public var episodes = 0
        /// Episodes with a page (a firing alert that notifies) within a day of them: from a day before their start
        /// (a page just before an episode opened the group its alerts join) to a day after their end.
        public var episodesPaged = 0
        /// Firing alerts published (paging or not).
        public var firingAlerts = 0
        /// Firing alerts that notify, in an episode (or the day after it) and outside one.
        public var episodePages = 0
        public var calmPages = 0
        /// Escalations of unacknowledged pages (each one pages again).
        public var escalations = 0
        public var calmPatientDays = 0.0
        public var criticalEvents = 0
        /// Critical events with a critical page triggered by that very event.
        public var criticalEventsPagedAtEvent = 0

        public var pagesPerEpisode: Double { episodes > 0 ? Double(episodePages) / Double(episodes) : 0 }
        public var calmPagesPer100PatientDays: Double { calmPatientDays > 0 ? Double(calmPages) / calmPatientDays * 100 : 0 }
    }

    public let cohort: SyntheticCohort

    public init(cohort: SyntheticCohort) {
        self.cohort = cohort
    }

    public func run(engine: RuleEngine) -> (figures: Figures, alerts: [Alert]) {
        let end = cohort.start.addingTimeInterval(Double(cohort.days) * 86_400)
        var run = VirtualClockRun(engine: engine, clock: cohort.start)
        for event in cohort.events {
            run.advance(to: event.time)
            run.process(event)
        }
        run.advance(to: end)
        return (measure(run.published), run.published)
    }

    func measure(_ alerts: [Alert]) -> Figures {
        var figures = Figures()
        let pages = alerts.filter { $0.status == .firing && $0.notify }
        figures.firingAlerts = alerts.count { $0.status == .firing }
        figures.escalations = alerts.count { $0.status == .escalated }
        let pagesByPatient = Dictionary(grouping: pages, by: \.patientId)
        figures.episodes = cohort.episodes.count
        figures.episodesPaged = cohort.episodes.count { episode in
            let (from, to) = (episode.start.addingTimeInterval(-86_400), episode.end.addingTimeInterval(86_400))
            return pagesByPatient[episode.patientId]?.contains { $0.triggeredAt >= from && $0.triggeredAt < to } ?? false
        }
        for page in pages {
            if cohort.isEpisodeTime(patientId: page.patientId, page.triggeredAt) { figures.episodePages += 1 } else { figures.calmPages += 1 }
        }
        // Every patient-day outside an episode and the day after it.
        let episodeDays = cohort.episodes.reduce(0.0) { total, episode in
            total + min(3, episode.end.addingTimeInterval(86_400).timeIntervalSince(episode.start) / 86_400)
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
