import Foundation

/// Applies rules to one patient's events: deduplication, discharge, folding (one event, one alert) and cooldowns,
/// as CLINICAL.md defines them. Pure: no I/O, time comes in as arguments.
public struct RuleEngine: Sendable {
    /// In priority order: ties in severity go to the earlier rule.
    public let rules: [any Rule]
    /// How long (event time) a patient's history is kept: the longest lookback of any rule.
    public let retention: TimeInterval
    /// Absence rules and escalation delays.
    public let timerPolicy: TimerPolicy

    public init(rules: [any Rule], timers: TimerPolicy = TimerPolicy()) {
        self.rules = rules
        self.retention = rules.map(\.lookback).max() ?? 0
        self.timerPolicy = timers
    }

    public func process(_ event: PatientEvent, state: inout PatientState, detectedAt: Date) -> EngineResult {
        let fingerprint = ProcessedEvents.Fingerprint(source: event.source, id: event.id)
        guard !state.processedEvents.contains(fingerprint) else { return EngineResult(isDuplicate: true) }

        if case .enrollment(let enrollment) = event.payload {
            apply(enrollment, of: event, to: &state)
        }
        if state.isDischarged {
            return EngineResult(suppressed: dischargedMatches(for: event))
        }
        state.processedEvents.insert(fingerprint, time: event.time)
        state.latestEventTime = max(state.latestEventTime, event.time)
        defer { state.pruneIfDue(retention: retention) }

        var result = EngineResult()
        result.timerAlerts = fireAbsenceTimers(patientId: event.patientId, state: &state, upTo: event.time, detectedAt: detectedAt)
        switch event.payload {
        case .checkin: result.timerAlerts += checkinArrived(event, state: &state, detectedAt: detectedAt)
        case .enrollment(let enrollment) where enrollment.status == .active: enrolled(event, state: &state)
        case .alertAck(let ack): acknowledge(ack, state: &state)
        default: break
        }
        state.history.record(event)
        var candidates: [(rule: any Rule, match: RuleMatch)] = []
        // By index: with `for rule in rules` a profile showed every rule's existential copied (and its fields
        // retained) for every event, about 1% of the loop; by index it no longer shows. A matching rule is copied.
        for index in rules.indices {
            let (evaluated, failed) = rules[index].evaluateReportingFailure(event, history: state.history)
            if failed { result.ruleFailures.append(rules[index].id) }
            guard let match = evaluated else { continue }
            let rule = rules[index]
            if rule.isShadow {
                result.shadowMatches.append(rule.id)
                continue
            }
            if let cooldown = state.cooldowns[rule.id], event.time < cooldown.until, match.severity <= cooldown.severity {
                result.suppressed.append(.init(rule: rule.id, reason: .cooldown))
            } else {
                candidates.append((rule, match))
            }
        }
        guard let winner = candidates.indices.max(by: { candidates[$0].match.severity < candidates[$1].match.severity || ($0 > $1 && candidates[$0].match.severity == candidates[$1].match.severity) }) else {
            return result
        }
        // Folded rules enter their cooldown as if they had alerted.
        for (rule, match) in candidates where match.cooldown > 0 {
            state.cooldowns[rule.id] = .init(until: event.time.addingTimeInterval(match.cooldown), severity: match.severity)
        }
        let folded = candidates.indices.filter { $0 != winner }.map { candidates[$0].rule.id }
        result.suppressed += folded.map { .init(rule: $0, reason: .folded) }
        var alert = makeAlert(event: event, rule: candidates[winner].rule, match: candidates[winner].match, alsoMatched: folded, detectedAt: detectedAt)
        group(&alert, state: &state)
        alertPublished(alert, by: event, state: &state)
        result.alert = alert
        return result
    }

    /// Discharge drops the patient's state at once; re-enrolment starts afresh.
    private func apply(_ enrollment: Enrollment, of event: PatientEvent, to state: inout PatientState) {
        switch enrollment.status {
        case .discharged:
            let partition = state.partition
            state = PatientState()
            state.partition = partition
            state.isDischarged = true
        case .active:
            state.isDischarged = false
        }
    }

    /// Rules still run for a discharged patient's events, on that event alone, so that what was not sent is counted.
    private func dischargedMatches(for event: PatientEvent) -> [EngineResult.Suppression] {
        var history = PatientHistory()
        history.record(event)
        return rules.compactMap { rule in
            rule.isShadow || rule.evaluate(event, history: history) == nil ? nil : .init(rule: rule.id, reason: .discharged)
        }
    }

    private func makeAlert(event: PatientEvent, rule: any Rule, match: RuleMatch, alsoMatched: [String], detectedAt: Date) -> Alert {
        Alert(
            alertId: AlertID.make(patientId: event.patientId, rule: rule.id, eventSource: event.source, eventId: event.id, status: .firing),
            patientId: event.patientId,
            rule: rule.id,
            ruleVersion: rule.version,
            severity: match.severity,
            status: .firing,
            summary: match.summary,
            evidence: match.evidence,
            alsoMatched: alsoMatched,
            triggeredAt: event.time,
            detectedAt: detectedAt,
            recommendedAction: match.recommendedAction ?? match.severity.recommendedAction
        )
    }
}
