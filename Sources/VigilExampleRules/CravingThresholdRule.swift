import Foundation
import VigilCore

/// `craving-threshold`: a craving score at or above `threshold` (default 7) → medium; cooldown default 0.
struct CravingThresholdRule: Rule {
    static let id = "craving-threshold"
    var id: String { Self.id }
    let version = 1
    let lookback: TimeInterval = 0
    let options: RuleOptions
    let threshold: Double

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .craving(let craving) = event.payload, craving.score >= threshold else { return nil }
        let evidence = Evidence(eventId: event.id, type: .craving, time: event.time, field: "score", value: .number(craving.score))
        return options.match(.medium, summary: "Craving \(craving.score.compact)/10 (threshold \(threshold.compact))", evidence: [evidence])
    }
}
