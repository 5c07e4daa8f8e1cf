import Foundation
import Testing
import VigilCore
import VigilRules
@testable import VigilDaemon

@Suite("Alert groups on a synthetic cohort: one page per risk episode, no critical missed")
struct CohortStudyTests {
    static let cohort = SyntheticCohort(patients: 300, days: 28, seed: 1)

    static func engine(window: TimeInterval) throws -> RuleEngine {
        var policy = TimerPolicy()
        policy.groupingWindow = window
        return RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:]), timers: policy)
    }

    @Test("the generator is seeded: the same seed gives the same events and episodes, another seed others")
    func seeded() {
        let again = SyntheticCohort(patients: 20, days: 14, seed: 5)
        let same = SyntheticCohort(patients: 20, days: 14, seed: 5)
        let other = SyntheticCohort(patients: 20, days: 14, seed: 6)
        #expect(again.events.map(\.id) == same.events.map(\.id))
        #expect(again.events.map(\.time) == same.events.map(\.time))
        #expect(again.episodes == same.episodes)
        #expect(again.events.map(\.time) != other.events.map(\.time))
        #expect(zip(again.events, again.events.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test("the cohort has what the issue describes: 300 patients over 28 days, about one two-day episode each, some criticals")
    func shape() {
        let cohort = Self.cohort
        #expect(Set(cohort.events.map(\.patientId)).count == 300)
        #expect((250...450).contains(cohort.episodes.count))
        #expect(cohort.criticalEvents.count >= 20)
        #expect(cohort.episodes.allSatisfy { $0.end.timeIntervalSince($0.start) == 2 * 86_400 })
    }

    @Test("with grouping: every episode paged within a day, every critical paged at its event, at most 1.5 pages an episode")
    func targets() throws {
        let study = CohortStudy(cohort: Self.cohort)
        let grouped = study.run(engine: try Self.engine(window: 24 * 3600))
        let ungrouped = study.run(engine: try Self.engine(window: 0))
        let figures = grouped.figures
        #expect(figures.episodesPaged == figures.episodes)
        #expect(figures.criticalEventsPagedAtEvent == figures.criticalEvents)
        #expect(figures.pagesPerEpisode <= 1.5, "pages per episode: \(figures.pagesPerEpisode)")
        // Grouping changes whether an alert pages, never which alerts are published.
        #expect(grouped.alerts.filter { $0.status == .firing }.map(\.alertId) == ungrouped.alerts.filter { $0.status == .firing }.map(\.alertId))
        // Without grouping the same cohort pages for every firing alert: the measure the README compares against.
        #expect(ungrouped.figures.pagesPerEpisode > 3 * figures.pagesPerEpisode / 2)
        #expect(ungrouped.alerts.filter { $0.status == .firing }.allSatisfy { $0.notify && $0.groupId == $0.alertId })
    }

    @Test("the README's figures: seed 1 gives 338 episodes, 56 critical events, 1.27 pages an episode grouped and 4.25 without")
    func readmeFigures() throws {
        let study = CohortStudy(cohort: Self.cohort)
        let grouped = study.run(engine: try Self.engine(window: 24 * 3600)).figures
        let ungrouped = study.run(engine: try Self.engine(window: 0)).figures
        #expect(grouped.episodes == 338)
        #expect(grouped.criticalEvents == 56)
        #expect(String(format: "%.2f", grouped.pagesPerEpisode) == "1.27", "update the README's cohort table")
        #expect(String(format: "%.2f", ungrouped.pagesPerEpisode) == "4.25", "update the README's cohort table")
    }

    @Test("a care team that acknowledges every page: no escalation, every episode and every critical still paged")
    func acknowledgingCareTeam() throws {
        let study = CohortStudy(cohort: SyntheticCohort(patients: 60, days: 28, seed: 2))
        let (figures, alerts) = study.run(engine: try Self.engine(window: 24 * 3600), careTeam: .responsive)
        #expect(figures.escalations == 0)
        #expect(figures.episodesPaged == figures.episodes)
        #expect(figures.criticalEventsPagedAtEvent == figures.criticalEvents)
        #expect(alerts.allSatisfy { $0.status != .escalated })
        // Acknowledgements change what pages, never which alerts fire.
        #expect(figures.firingAlerts == study.run(engine: try Self.engine(window: 24 * 3600)).figures.firingAlerts)
    }

    @Test("every alert of a group carries the id of the group's first alert, which paged")
    func groupIds() throws {
        let alerts = CohortStudy(cohort: SyntheticCohort(patients: 40, days: 28, seed: 3)).run(engine: try Self.engine(window: 24 * 3600)).alerts
        let byId = Dictionary(alerts.map { ($0.alertId, $0) }, uniquingKeysWith: { first, _ in first })
        let grouped = alerts.filter { !$0.notify && $0.status == .firing }
        #expect(!grouped.isEmpty)
        for alert in grouped {
            let opener = try #require(byId[alert.groupId])
            #expect(opener.notify)
            #expect(opener.patientId == alert.patientId)
            #expect(opener.groupId == opener.alertId)
        }
    }
}
