import Foundation
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Rules: backtest compares a candidate with a baseline on a virtual clock")
struct BacktestTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func craving(_ score: Double, _ id: String, patient: String = "P-1", hours: Double) -> PatientEvent {
        PatientEvent(id: id, source: "app://test", time: start.addingTimeInterval(hours * 3600), patientId: patient, payload: .craving(Craving(score: score)))
    }

    static func engine(_ settings: [String: RuleSettings] = [:]) throws -> RuleEngine {
        var rules = VigilConfiguration.Rules()
        rules.settings = settings
        return try Modules.registry.ruleSet(for: rules).engine
    }

    @Test func aRaisedThresholdShowsTheAlertsOnlyTheBaselineWouldHavePublished() throws {
        let candidate = try Self.engine(["craving-spike": RuleSettings(rule: "craving-spike", values: ["highThreshold": .number(9)])])
        let events = [Self.craving(8, "a", hours: 0), Self.craving(9, "b", patient: "P-2", hours: 1), Self.craving(2, "c", hours: 47)]
        let report = Backtest.run(events: events, candidate: candidate, baseline: try Self.engine())
        #expect(report.baseline.alerts == 2)
        #expect(report.candidate.alerts == 1)
        #expect(report.candidate.byRule == ["craving-spike": 1])
        #expect(report.onlyBaseline.map(\.patientId) == ["P-1"])
        #expect(report.onlyCandidate.isEmpty)
        // P-1 from hour 0 and P-2 from hour 1 to hour 47: 47/24 + 46/24 patient-days.
        #expect(report.baseline.patients == 2)
        #expect(abs(report.baseline.patientDays - 93.0 / 24) < 1e-9)
        #expect(abs(report.baseline.pagesPer100PatientDays - 2 / (93.0 / 24) * 100) < 1e-9)
    }

    @Test func theClockFiresAbsenceTimersUpToTheEndAndEscalationsAreNotCounted() throws {
        let checkin = PatientEvent(id: "k", source: "app://test", time: Self.start, patientId: "P-1", payload: .checkin(Checkin(mood: 6)))
        let report = Backtest.run(events: [checkin], candidate: try Self.engine(), baseline: try Self.engine(), until: Self.start.addingTimeInterval(5 * 86_400))
        // No check-in for 2 and 4 days: medium then high; the high one's escalations are not firing alerts.
        #expect(report.candidate.byRule == ["missed-checkins": 2])
        #expect(report.onlyCandidate.isEmpty && report.onlyBaseline.isEmpty)
    }

    @Test func pagesCountOnlyTheFiringAlertsThatNotify() throws {
        // One patient's episode: a page, two alerts that join its group, and a critical that pages again.
        let events = [Self.craving(8, "a", hours: 0), Self.craving(9, "b", hours: 25), Self.craving(2, "c", hours: 48)]
        let checkins = [
            PatientEvent(id: "k1", source: "app://test", time: Self.start.addingTimeInterval(3600), patientId: "P-1", payload: .checkin(Checkin(helpRequested: true))),
            PatientEvent(id: "k2", source: "app://test", time: Self.start.addingTimeInterval(7200), patientId: "P-1", payload: .checkin(Checkin(phq9Item9: 2))),
        ]
        let all = (events + checkins).sorted { $0.time < $1.time }
        var ungrouped = TimerPolicy()
        ungrouped.groupingWindow = 0
        let baseline = try Modules.registry.ruleSet(for: VigilConfiguration.Rules(), timers: ungrouped).engine
        let report = Backtest.run(events: all, candidate: try Self.engine(), baseline: baseline)
        #expect(report.candidate.alerts == 4)
        #expect(report.candidate.pages == 2)
        #expect(report.baseline.alerts == 4)
        #expect(report.baseline.pages == 4)
        #expect(abs(report.candidate.pagesPer100PatientDays - 2 / report.candidate.patientDays * 100) < 1e-9)
        #expect(report.onlyCandidate.isEmpty && report.onlyBaseline.isEmpty)
    }

    @Test func theJSONReportHasTheContractsKeys() throws {
        let report = Backtest.run(events: [Self.craving(9, "a", hours: 0)], candidate: try Self.engine(), baseline: try Self.engine())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(BacktestReport.json(report).utf8)) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["candidate", "baseline", "onlyCandidate", "onlyBaseline"]))
        let candidate = try #require(object["candidate"] as? [String: Any])
        #expect(Set(candidate.keys) == ["alerts", "byRule", "pagesPer100PatientDays", "patients", "patientDays"])
        #expect(candidate["alerts"] as? Int == 1)
    }
}
