import Foundation
import VigilCore

/// `craving-spike`, on a craving: a score at or above `highThreshold` (8) → high; else a score at least
/// `riseAboveBaseline` (3) above the patient's baseline and at least `mediumFloor` (5) → medium. The baseline is
/// the median of the patient's craving scores in the `baselineWindow` (14 days) before the event, not counting it
/// (nor any other score at the same instant), and needs `minimumBaselineScores` (5) of them. Cooldown 24 h.
/// Craving predicts use in 92% of 91 EMA studies.
struct CravingSpikeRule: BuiltinRule {
    static let id = "craving-spike"
    let version = 1
    var lookback: TimeInterval { parameters.baselineWindow }
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `highThreshold`, default 8 (0–10): the score from which a craving is high.
        var highThreshold = 8.0
        /// `riseAboveBaseline`, default 3 (0.5–10): how far above the baseline a score must be to be medium.
        var riseAboveBaseline = 3.0
        /// `mediumFloor`, default 5 (0–10, at most `highThreshold`): the lowest score that can be medium.
        var mediumFloor = 5.0
        /// `baselineWindow`, default 14d (1d–30d): how far back the baseline reaches.
        var baselineWindow: TimeInterval = .days(14)
        /// `minimumBaselineScores`, default 5 (1–100): without this many earlier scores there is no baseline.
        var minimumBaselineScores = 5

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            highThreshold = try settings.number("highThreshold", default: highThreshold, in: 0...10)
            riseAboveBaseline = try settings.number("riseAboveBaseline", default: riseAboveBaseline, in: 0.5...10)
            mediumFloor = try settings.number("mediumFloor", default: mediumFloor, in: 0...10)
            guard mediumFloor <= highThreshold else { throw settings.invalid("mediumFloor", "must not exceed highThreshold") }
            baselineWindow = try settings.duration("baselineWindow", default: baselineWindow, in: .days(1)...(.days(30)))
            minimumBaselineScores = try settings.integer("minimumBaselineScores", default: minimumBaselineScores, in: 1...100)
        }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(24))
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .craving(let craving) = event.payload else { return nil }
        let score = craving.score
        // Built only for a match: most cravings match nothing, and the array is a heap allocation.
        var evidence: [Evidence] { [Evidence(event, field: "score", value: .number(score))] }
        if score >= parameters.highThreshold {
            return options.match(.high, summary: "Craving \(score.compact)/10 (threshold \(parameters.highThreshold.compact))", evidence: evidence)
        }
        guard score >= parameters.mediumFloor, let baseline = baseline(before: event.time, in: history),
            score >= baseline + parameters.riseAboveBaseline
        else { return nil }
        return options.match(
            .medium,
            summary: "Craving \(score.compact)/10, \((score - baseline).compact) above the patient's \(Wording.durationAdjective(parameters.baselineWindow)) baseline of \(baseline.compact) (threshold: baseline + \(parameters.riseAboveBaseline.compact), at least \(parameters.mediumFloor.compact))",
            evidence: evidence
        )
    }

    /// The median score in (`time` − `baselineWindow`, `time`), or nil with too few scores. The scores are copied to
    /// a temporary (stack) buffer for the selection: the history itself is already in time order and stays untouched.
    private func baseline(before time: Date, in history: PatientHistory) -> Double? {
        let cravings = history.cravings
        let end = cravings.end(before: time)
        let start = cravings.start(after: time.addingTimeInterval(-parameters.baselineWindow), from: end)
        let count = end - start
        guard count >= parameters.minimumBaselineScores else { return nil }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { buffer in
            var scores = buffer
            for offset in 0..<count { scores.initializeElement(at: offset, to: history.score(of: cravings[start + offset])) }
            return scores.median()
        }
    }
}
