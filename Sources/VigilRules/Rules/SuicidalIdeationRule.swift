import Foundation
import VigilCore

/// `suicidal-ideation`: a check-in's PHQ-9 item 9 (thoughts of self-harm) at or above `threshold` → critical.
/// No cooldown by default: any positive answer calls for a structured assessment (Simon 2013).
struct SuicidalIdeationRule: BuiltinRule {
    static let id = "suicidal-ideation"
    let version = 1
    let lookback: TimeInterval = 0
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `threshold`, default 1: the lowest answer (0 "not at all" to 3 "nearly every day") that alerts.
        var threshold = 1

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            threshold = try settings.integer("threshold", default: threshold, in: 1...3)
        }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: 0)
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .checkin(let checkin) = event.payload, let answer = checkin.phq9Item9, answer >= parameters.threshold else {
            return nil
        }
        return options.match(
            .critical,
            summary: "PHQ-9 item 9 answered \(answer)/3 (thoughts of self-harm; threshold \(parameters.threshold))",
            evidence: [Evidence(event, field: "phq9Item9", value: .number(Double(answer)))]
        )
    }
}
