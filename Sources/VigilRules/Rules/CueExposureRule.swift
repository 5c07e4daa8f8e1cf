import Foundation
import VigilCore

/// `cue-exposure`: a check-in with `cueExposure` = true and a craving score at or above `cravingThreshold` (5) within
/// `window` (6 h) before or after it → medium, cooldown 24 h. Cue exposure precedes use (Epstein 2009).
///
/// Fires on whichever of the two events completes the pair, as events may arrive in any order: on a cue check-in,
/// when such a craving lies in [t − 6 h, t + 6 h]; on such a craving, when a cue check-in lies in [t − 6 h, t + 6 h].
/// Both ends are included, so that the pair matches the same way whichever of them arrives last.
struct CueExposureRule: BuiltinRule {
    static let id = "cue-exposure"
    let version = 1
    var lookback: TimeInterval { parameters.window }
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `cravingThreshold`, default 5 (0–10): the lowest craving score that counts.
        var cravingThreshold = 5.0
        /// `window`, default 6h (1m–24h): how far apart in event time the cue and the craving may be, either way.
        var window: TimeInterval = .hours(6)

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            cravingThreshold = try settings.number("cravingThreshold", default: cravingThreshold, in: 0...10)
            window = try settings.duration("window", default: window, in: .minutes(1)...(.hours(24)))
        }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(24))
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        let earliest = event.time.addingTimeInterval(-parameters.window)
        let latest = event.time.addingTimeInterval(parameters.window)
        switch event.payload {
        case .checkin(let checkin) where checkin.cueExposure == true:
            // The highest craving in the window; on a tie the later one.
            var craving: (record: CravingRecord, score: Double)?
            for index in history.cravings.indices(from: earliest, through: latest) {
                let record = history.cravings[index]
                let score = history.score(of: record)
                if score >= parameters.cravingThreshold, score >= craving?.score ?? -.infinity { craving = (record, score) }
            }
            guard let craving else { return nil }
            return match(
                cue: Evidence(event, field: "cueExposure", value: .bool(true)), craving: Evidence(craving.record, score: craving.score), score: craving.score)
        case .craving(let craving) where craving.score >= parameters.cravingThreshold:
            // The cue check-in nearest in time.
            var cue: (record: CheckinRecord, distance: TimeInterval)?
            for index in history.checkins.indices(from: earliest, through: latest) where history.checkins[index].checkin.cueExposure == true {
                let record = history.checkins[index]
                let distance = abs(record.time.timeIntervalSince(event.time))
                if distance < cue?.distance ?? .infinity { cue = (record, distance) }
            }
            guard let cue else { return nil }
            return match(
                cue: Evidence(cue.record, field: "cueExposure", value: .bool(true)),
                craving: Evidence(event, field: "score", value: .number(craving.score)),
                score: craving.score
            )
        default:
            return nil
        }
    }

    private func match(cue: Evidence, craving: Evidence, score: Double) -> RuleMatch {
        let relation =
            if craving.time < cue.time { "before" } else if craving.time > cue.time { "after" } else { "at the time of" }
        return options.match(
            .medium,
            summary: "Craving \(score.compact)/10 \(relation) a reported cue exposure, within \(Wording.duration(parameters.window)) (threshold \(parameters.cravingThreshold.compact))",
            evidence: craving.time < cue.time ? [craving, cue] : [cue, craving]
        )
    }
}
