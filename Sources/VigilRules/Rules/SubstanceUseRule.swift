import Foundation
import VigilCore

/// `substance-use`: a check-in reports use since the last one (`substanceUse.used` = true) → high, cooldown 24 h.
/// A lapse is the strongest predictor of the next. No parameters besides the common ones.
struct SubstanceUseRule: BuiltinRule {
    static let id = "substance-use"
    let version = 1
    let lookback: TimeInterval = 0
    let options: RuleOptions

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(24))
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .checkin(let checkin) = event.payload, let use = checkin.substanceUse, use.used else { return nil }
        if use.substances.isEmpty {
            return options.match(
                .high,
                summary: "Substance use reported since the last check-in (no substance named)",
                evidence: [Evidence(event, field: "substanceUse.used", value: .bool(true))]
            )
        }
        return options.match(
            .high,
            summary: "Substance use reported since the last check-in: \(use.substances.joined(separator: ", "))",
            evidence: [Evidence(event, field: "substanceUse.substances", value: .strings(use.substances))]
        )
    }
}
