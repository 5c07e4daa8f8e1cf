import Foundation
import VigilCore

/// `rising-craving`, on a craving: the patient's last `consecutiveScores` (3) craving scores by event time, ending
/// with this one, all lie within `window` (72 h) up to it, each is higher than the one before, the last exceeds the
/// first by at least `minimumRise` (3) and is at least `mediumFloor` (5) → medium; at least `highThreshold` (7) →
/// high. Cooldown 24 h. A craving increase made relapse at the next prompt 14× more likely (Moore 2014).
struct RisingCravingRule: BuiltinRule {
    static let id = "rising-craving"
    let version = 1
    var lookback: TimeInterval { parameters.window }
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `consecutiveScores`, default 3 (2–10): how many of the latest scores must rise.
        var consecutiveScores = 3
        /// `window`, default 72h (1h–14d): those scores all lie within it, up to the event.
        var window: TimeInterval = .hours(72)
        /// `minimumRise`, default 3 (0.5–10): the last score minus the first.
        var minimumRise = 3.0
        /// `mediumFloor`, default 5 (0–10, at most `highThreshold`): the lowest last score that alerts.
        var mediumFloor = 5.0
        /// `highThreshold`, default 7 (0–10): a last score from which the alert is high.
        var highThreshold = 7.0

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            consecutiveScores = try settings.integer("consecutiveScores", default: consecutiveScores, in: 2...10)
            window = try settings.duration("window", default: window, in: .hours(1)...(.days(14)))
            minimumRise = try settings.number("minimumRise", default: minimumRise, in: 0.5...10)
            mediumFloor = try settings.number("mediumFloor", default: mediumFloor, in: 0...10)
            highThreshold = try settings.number("highThreshold", default: highThreshold, in: 0...10)
            guard mediumFloor <= highThreshold else { throw settings.invalid("mediumFloor", "must not exceed highThreshold") }
        }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(24))
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .craving = event.payload, let last = history.cravings.index(ofEvent: event.id, at: event.time),
            last >= parameters.consecutiveScores - 1
        else { return nil }
        let cravings = history.cravings
        let first = last - (parameters.consecutiveScores - 1)
        guard cravings[first].time > event.time.addingTimeInterval(-parameters.window) else { return nil }
        for index in first + 1...last where history.score(of: cravings[index]) <= history.score(of: cravings[index - 1]) { return nil }
        let latest = history.score(of: cravings[last])
        let rise = latest - history.score(of: cravings[first])
        guard rise >= parameters.minimumRise, latest >= parameters.mediumFloor else { return nil }

        let scores = cravings[first...last].map { history.score(of: $0).compact }.joined(separator: " → ")
        return options.match(
            latest >= parameters.highThreshold ? .high : .medium,
            summary: "Craving rose over the last \(parameters.consecutiveScores) scores within \(Wording.duration(parameters.window)): \(scores), up \(rise.compact) (threshold: up \(parameters.minimumRise.compact) to at least \(parameters.mediumFloor.compact); high from \(parameters.highThreshold.compact))",
            evidence: cravings[first...last].map { Evidence($0, in: history) }
        )
    }
}
