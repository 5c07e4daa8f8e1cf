import Foundation
import VigilCore

/// `combined-risk`: within `window` (24 h) up to the event, three risk factors: the highest craving at or above
/// `cravingThreshold` (6); negative affect, the lowest mood at or below `lowMoodThreshold` (3) or the highest stress
/// at or above `highStressThreshold` (7); and the shortest sleep under `shortSleepHours` (5). All three → high,
/// exactly two → medium. Cooldown 24 h. Craving, negative affect and poor sleep each raise next-day risk
/// (Burgess-Hull 2021, Freeman 2018).
///
/// Triggered by the craving or check-in that completes the pattern: the triggering event must itself meet one of
/// the factors, so an unrelated check-in does not report the same pattern again.
struct CombinedRiskRule: BuiltinRule {
    static let id = "combined-risk"
    let version = 1
    var lookback: TimeInterval { parameters.window }
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `window`, default 24h (1h–7d): how far back from the event the factors are looked for.
        var window: TimeInterval = .hours(24)
        /// `cravingThreshold`, default 6 (0–10): the craving factor is a score at or above it.
        var cravingThreshold = 6.0
        /// `lowMoodThreshold`, default 3 (0–10): a mood at or below it counts as negative affect.
        var lowMoodThreshold = 3.0
        /// `highStressThreshold`, default 7 (0–10): a stress at or above it counts as negative affect.
        var highStressThreshold = 7.0
        /// `shortSleepHours`, default 5 (0.5–24): sleep under this many hours is the sleep factor.
        var shortSleepHours = 5.0

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            window = try settings.duration("window", default: window, in: .hours(1)...(.days(7)))
            cravingThreshold = try settings.number("cravingThreshold", default: cravingThreshold, in: 0...10)
            lowMoodThreshold = try settings.number("lowMoodThreshold", default: lowMoodThreshold, in: 0...10)
            highStressThreshold = try settings.number("highStressThreshold", default: highStressThreshold, in: 0...10)
            shortSleepHours = try settings.number("shortSleepHours", default: shortSleepHours, in: 0.5...24)
        }

        func isLowMood(_ checkin: Checkin) -> Bool { checkin.mood.map { Double($0) <= lowMoodThreshold } ?? false }
        func isHighStress(_ checkin: Checkin) -> Bool { checkin.stress.map { Double($0) >= highStressThreshold } ?? false }
        func isShortSleep(_ checkin: Checkin) -> Bool { checkin.sleepHours.map { $0 < shortSleepHours } ?? false }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(24))
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        switch event.payload {
        case .craving(let craving) where craving.score >= parameters.cravingThreshold:
            break
        case .checkin(let checkin) where parameters.isLowMood(checkin) || parameters.isHighStress(checkin) || parameters.isShortSleep(checkin):
            break
        default:
            return nil
        }
        // The most extreme value of each factor in the window; on a tie the newest, the one closest to the event.
        var craving: (record: CravingRecord, score: Double)?
        for index in history.cravings.window(parameters.window, endingAt: event.time) {
            let record = history.cravings[index]
            let score = history.score(of: record)
            if score >= parameters.cravingThreshold, score >= craving?.score ?? -.infinity { craving = (record, score) }
        }
        var mood: (record: CheckinRecord, value: Int)?
        var stress: (record: CheckinRecord, value: Int)?
        var sleep: (record: CheckinRecord, hours: Double)?
        for index in history.checkins.window(parameters.window, endingAt: event.time) {
            let record = history.checkins[index]
            if let value = record.checkin.mood, Double(value) <= parameters.lowMoodThreshold, value <= mood?.value ?? .max {
                mood = (record, value)
            }
            if let value = record.checkin.stress, Double(value) >= parameters.highStressThreshold, value >= stress?.value ?? .min {
                stress = (record, value)
            }
            if let hours = record.checkin.sleepHours, hours < parameters.shortSleepHours, hours <= sleep?.hours ?? .infinity {
                sleep = (record, hours)
            }
        }
        let factors = (craving == nil ? 0 : 1) + (mood == nil && stress == nil ? 0 : 1) + (sleep == nil ? 0 : 1)
        guard factors >= 2 else { return nil }

        var findings: [String] = []
        var evidence: [Evidence] = []
        if let craving {
            findings.append("craving \(craving.score.compact)/10 (threshold \(parameters.cravingThreshold.compact))")
            evidence.append(Evidence(craving.record, score: craving.score))
        }
        if let mood {
            findings.append("mood \(mood.value)/10 (threshold \(parameters.lowMoodThreshold.compact) or lower)")
            evidence.append(Evidence(mood.record, field: "mood", value: .number(Double(mood.value))))
        }
        if let stress {
            findings.append("stress \(stress.value)/10 (threshold \(parameters.highStressThreshold.compact))")
            evidence.append(Evidence(stress.record, field: "stress", value: .number(Double(stress.value))))
        }
        if let sleep {
            findings.append("sleep \(sleep.hours.compact) h (threshold under \(parameters.shortSleepHours.compact) h)")
            evidence.append(Evidence(sleep.record, field: "sleepHours", value: .number(sleep.hours)))
        }
        return options.match(
            factors == 3 ? .high : .medium,
            summary: "\(factors) of 3 risk factors within \(Wording.duration(parameters.window)): \(findings.joined(separator: ", "))",
            evidence: evidence
        )
    }
}
