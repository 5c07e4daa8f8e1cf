import Foundation
import VigilCore

/// A rule that matches craving events at or above a score, with a fixed severity and cooldown.
struct StubRule: Rule {
    var id: String
    var version = 1
    var lookback: TimeInterval = 86_400
    var minimumScore: Double
    var severity: Severity
    var cooldown: TimeInterval = 86_400

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .craving(let craving) = event.payload, craving.score >= minimumScore else { return nil }
        return RuleMatch(
            severity: severity, summary: "Craving \(craving.score.compact)/10",
            evidence: [Evidence(eventId: event.id, type: .craving, time: event.time, field: "score", value: .number(craving.score))],
            cooldown: cooldown)
    }
}

func craving(_ score: Double, at hours: Double, id: String? = nil, patient: String = "P-1") -> PatientEvent {
    PatientEvent(
        id: id ?? "c-\(hours)-\(score)", source: "app://test", time: Fixtures.now.addingTimeInterval(hours * 3600),
        patientId: patient, payload: .craving(Craving(score: score)))
}

func enrollment(_ status: Enrollment.Status, at hours: Double) -> PatientEvent {
    PatientEvent(id: "en-\(hours)", source: "app://test", time: Fixtures.now.addingTimeInterval(hours * 3600), patientId: "P-1", payload: .enrollment(Enrollment(status: status)))
}
