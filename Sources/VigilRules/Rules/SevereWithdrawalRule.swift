import Foundation
import VigilCore

/// `severe-withdrawal`: a check-in's withdrawal score in the CIWA-Ar or COWS severe band, or complicated withdrawal
/// (seizure, hallucinations or confusion) → critical, with no cooldown; the moderate band → high, with the
/// configured `cooldown` (default 12 h). Severity bands of the two scales.
struct SevereWithdrawalRule: BuiltinRule {
    static let id = "severe-withdrawal"
    let version = 1
    let lookback: TimeInterval = 0
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `ciwaArHigh`, default 10: the CIWA-Ar score (0–67) from which withdrawal is high.
        var ciwaArHigh = 10.0
        /// `ciwaArCritical`, default 15: the CIWA-Ar score from which withdrawal is critical.
        var ciwaArCritical = 15.0
        /// `cowsHigh`, default 13: the COWS score (0–48) from which withdrawal is high.
        var cowsHigh = 13.0
        /// `cowsCritical`, default 25: the COWS score from which withdrawal is critical.
        var cowsCritical = 25.0

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            ciwaArHigh = try settings.number("ciwaArHigh", default: ciwaArHigh, in: 1...67)
            ciwaArCritical = try settings.number("ciwaArCritical", default: ciwaArCritical, in: 1...67)
            cowsHigh = try settings.number("cowsHigh", default: cowsHigh, in: 1...48)
            cowsCritical = try settings.number("cowsCritical", default: cowsCritical, in: 1...48)
            guard ciwaArHigh <= ciwaArCritical else { throw settings.invalid("ciwaArHigh", "must not exceed ciwaArCritical") }
            guard cowsHigh <= cowsCritical else { throw settings.invalid("cowsHigh", "must not exceed cowsCritical") }
        }

        func thresholds(_ scale: Checkin.Withdrawal.Scale) -> (high: Double, critical: Double) {
            switch scale {
            case .ciwaAr: (ciwaArHigh, ciwaArCritical)
            case .cows: (cowsHigh, cowsCritical)
            }
        }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(12))
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .checkin(let checkin) = event.payload, let withdrawal = checkin.withdrawal else { return nil }
        let (high, critical) = parameters.thresholds(withdrawal.scale)
        let scale = withdrawal.scale.rawValue
        let score = withdrawal.score.compact
        var evidence = [
            Evidence(event, field: "withdrawal.scale", value: .string(scale)),
            Evidence(event, field: "withdrawal.score", value: .number(withdrawal.score)),
        ]
        if withdrawal.complicated {
            evidence.append(Evidence(event, field: "withdrawal.complicated", value: .bool(true)))
            return options.match(
                .critical,
                summary: "Complicated withdrawal (seizure, hallucinations or confusion) with \(scale) \(score) (critical whenever complicated, or from \(critical.compact))",
                evidence: evidence, cooldown: 0
            )
        }
        if withdrawal.score >= critical {
            return options.match(.critical, summary: "Withdrawal \(scale) \(score) (critical from \(critical.compact))", evidence: evidence, cooldown: 0)
        }
        if withdrawal.score >= high {
            return options.match(.high, summary: "Withdrawal \(scale) \(score) (high from \(high.compact), critical from \(critical.compact))", evidence: evidence)
        }
        return nil
    }
}
