import Foundation
import VigilCore

/// `polysubstance`, on a check-in that reports use (`substanceUse.used` = true, with substances named):
/// - critical: an opioid (ketamine grouped with them) and a sedative reported used within `coUseWindow` (24 h) up to
///   this check-in, one of them in this check-in: sedative co-use drives overdose deaths (Tori 2020);
/// - high: otherwise at least `minimumSubstances` (2) distinct substances reported used within `window` (7 days).
///
/// Cooldown 24 h. The pattern must include this check-in's report, so an earlier pattern is not reported again by an
/// unrelated check-in.
struct PolysubstanceRule: BuiltinRule {
    static let id = "polysubstance"
    let version = 1
    var lookback: TimeInterval { max(parameters.coUseWindow, parameters.window) }
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `opioids`, default opioid, heroin, fentanyl, oxycodone, hydrocodone, morphine, methadone, ketamine:
        /// the substances on the opioid side of dangerous co-use (CLINICAL.md groups ketamine with them).
        var opioids = ["opioid", "heroin", "fentanyl", "oxycodone", "hydrocodone", "morphine", "methadone", "ketamine"]
        /// `sedatives`, default alcohol, benzodiazepine, alprazolam, diazepam, clonazepam, lorazepam.
        var sedatives = ["alcohol", "benzodiazepine", "alprazolam", "diazepam", "clonazepam", "lorazepam"]
        /// `coUseWindow`, default 24h (1h–7d): an opioid and a sedative reported within it → critical.
        var coUseWindow: TimeInterval = .hours(24)
        /// `window`, default 7d (1h–30d): the window in which distinct substances are counted.
        var window: TimeInterval = .days(7)
        /// `minimumSubstances`, default 2 (2–10): distinct substances within `window` → high.
        var minimumSubstances = 2

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            opioids = try settings.substances("opioids", default: opioids)
            sedatives = try settings.substances("sedatives", default: sedatives)
            if let shared = sedatives.first(where: opioids.contains) {
                throw settings.invalid("sedatives", "must not repeat \(shared), which is listed in opioids")
            }
            coUseWindow = try settings.duration("coUseWindow", default: coUseWindow, in: .hours(1)...(.days(7)))
            window = try settings.duration("window", default: window, in: .hours(1)...(.days(30)))
            minimumSubstances = try settings.integer("minimumSubstances", default: minimumSubstances, in: 2...10)
        }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(24))
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .checkin(let checkin) = event.payload, let use = checkin.substanceUse, use.used, !use.substances.isEmpty else {
            return nil
        }
        return coUse(event, reported: use.substances, checkins: history.checkins)
            ?? distinctSubstances(event, checkins: history.checkins)
    }

    private func coUse(_ event: PatientEvent, reported: [String], checkins: [CheckinRecord]) -> RuleMatch? {
        let opioid = reported.first(where: parameters.opioids.contains)
        let sedative = reported.first(where: parameters.sedatives.contains)
        let current = Evidence(event, field: "substanceUse.substances", value: .strings(reported))
        if let opioid, let sedative {
            return coUseMatch(opioid, sedative, evidence: [current])
        }
        guard opioid != nil || sedative != nil else { return nil }
        let counterparts = opioid == nil ? parameters.opioids : parameters.sedatives
        // Newest first: the closest counterpart is the one to show.
        for index in checkins.window(parameters.coUseWindow, endingAt: event.time).reversed() {
            let record = checkins[index]
            guard record.eventId != event.id || record.time != event.time, let use = record.checkin.substanceUse, use.used,
                let other = use.substances.first(where: counterparts.contains)
            else { continue }
            let earlier = Evidence(record, field: "substanceUse.substances", value: .strings(use.substances))
            return coUseMatch(opioid ?? other, sedative ?? other, evidence: [earlier, current])
        }
        return nil
    }

    private func coUseMatch(_ opioid: String, _ sedative: String, evidence: [Evidence]) -> RuleMatch {
        options.match(
            .critical,
            summary: "Use of \(opioid) and \(sedative) reported within \(Wording.duration(parameters.coUseWindow)) (an opioid or ketamine with a sedative: overdose risk)",
            evidence: evidence
        )
    }

    private func distinctSubstances(_ event: PatientEvent, checkins: [CheckinRecord]) -> RuleMatch? {
        var substances: [String] = []
        var evidence: [Evidence] = []
        for index in checkins.window(parameters.window, endingAt: event.time) {
            let record = checkins[index]
            guard let use = record.checkin.substanceUse, use.used, !use.substances.isEmpty else { continue }
            evidence.append(Evidence(record, field: "substanceUse.substances", value: .strings(use.substances)))
            for substance in use.substances where !substances.contains(substance) { substances.append(substance) }
        }
        guard substances.count >= parameters.minimumSubstances else { return nil }
        substances.sort()
        return options.match(
            .high,
            summary: "\(substances.count) distinct substances reported used within \(Wording.duration(parameters.window)): \(substances.joined(separator: ", ")) (threshold \(parameters.minimumSubstances))",
            evidence: evidence
        )
    }
}
