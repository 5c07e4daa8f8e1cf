import Foundation
import VigilCore

/// `help-request`: the patient pressed "I need help now" in a check-in → high, no cooldown by default
/// (the A-CHESS panic button). No parameters besides the common ones.
struct HelpRequestRule: BuiltinRule {
    static let id = "help-request"
    let version = 1
    let lookback: TimeInterval = 0
    let options: RuleOptions

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: 0)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .checkin(let checkin) = event.payload, checkin.helpRequested == true else { return nil }
        return options.match(
            .high,
            summary: "The patient pressed the help button (I need help now)",
            evidence: [Evidence(event, field: "helpRequested", value: .bool(true))]
        )
    }
}
