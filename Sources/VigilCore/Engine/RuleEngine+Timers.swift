import Foundation

/// The absence rules (`missed-checkins`, `silence-after-lapse`) and the escalation of unacknowledged alerts, on
/// timers kept in the patient's state (CLINICAL.md). Absence clocks run in event time and fire either before an
/// event that comes after them (so a backlog replays what live processing did) or when the wall clock passes them
/// on a caught-up partition. Escalation runs on the wall clock only.
extension RuleEngine {
    /// Everything due by the wall-clock instant `now`: absence alerts and escalations. The daemon calls this only
    /// for partitions it has caught up on, so that a check-in still waiting in a backlog is not reported missing.
    public func fireTimers(patientId: String, state: inout PatientState, now: Date) -> [Alert] {
        guard !state.isDischarged else { return [] }
        var alerts = fireAbsenceTimers(patientId: patientId, state: &state, upTo: now, detectedAt: now)
        alerts += fireEscalations(patientId: patientId, state: &state, now: now)
        return alerts
    }

    /// The earliest instant at which `fireTimers` could publish anything for this patient.
    public func nextTimerDue(_ state: PatientState) -> Date? {
        guard !state.isDischarged else { return nil }
        return state.timers.nextDue(policy: timerPolicy, cadence: state.history.checkinEveryHours * 3600)
    }

    // MARK: Absence

    func fireAbsenceTimers(patientId: String, state: inout PatientState, upTo instant: Date, detectedAt: Date) -> [Alert] {
        var alerts: [Alert] = []
        if let alert = fireMissedCheckins(patientId: patientId, state: &state, upTo: instant, detectedAt: detectedAt) {
            alerts.append(alert)
        }
        if timerPolicy.silenceAfterLapseEnabled, let deadline = state.timers.lapseDeadline, deadline <= instant {
            state.timers.lapseDeadline = nil
            let lapseAlertId = state.timers.lapseAlertId ?? RFC3339.format(deadline)
            var alert = Alert(
                alertId: AlertID.make(patientId: patientId, rule: TimerPolicy.silenceAfterLapseRule, eventSource: Self.timerSource, eventId: lapseAlertId, status: .firing),
                patientId: patientId, rule: TimerPolicy.silenceAfterLapseRule, ruleVersion: TimerPolicy.absenceRuleVersion,
                severity: .high, status: .firing,
                summary: "No check-in within \(DurationText.text(timerPolicy.silenceAfterLapse)) after a substance-use alert",
                evidence: state.timers.lapseEvidence.map { [$0] } ?? [],
                alsoMatched: [], triggeredAt: deadline, detectedAt: detectedAt, recommendedAction: Severity.high.recommendedAction
            )
            group(&alert, state: &state)
            state.timers.awaitingCheckin.append(alert)
            track(alert, in: &state)
            alerts.append(alert)
        }
        return alerts
    }

    /// One alert for the highest level that came due, however many passed (after downtime, high without medium).
    private func fireMissedCheckins(patientId: String, state: inout PatientState, upTo instant: Date, detectedAt: Date) -> Alert? {
        guard timerPolicy.missedCheckinsEnabled, let start = state.timers.checkinClockStart else { return nil }
        let cadence = state.history.checkinEveryHours * 3600
        let multiples = timerPolicy.missedCheckinMultiples
        var level = state.timers.missedLevel
        while level < multiples.count, start.addingTimeInterval(cadence * multiples[level]) <= instant { level += 1 }
        guard level > state.timers.missedLevel else { return nil }
        state.timers.missedLevel = level
        let silence = cadence * multiples[level - 1]
        let severities = TimerPolicy.missedCheckinSeverities
        let severity = severities[min(level - 1, severities.count - 1)]
        var alert = Alert(
            alertId: AlertID.make(patientId: patientId, rule: TimerPolicy.missedCheckinsRule, eventSource: Self.timerSource, eventId: "\(RFC3339.format(start))#\(level)", status: .firing),
            patientId: patientId, rule: TimerPolicy.missedCheckinsRule, ruleVersion: TimerPolicy.absenceRuleVersion,
            severity: severity, status: .firing,
            summary: "No check-in for \(Self.hours(silence)) h (expected every \(Self.hours(cadence)) h)",
            evidence: state.timers.clockEvidence(cadenceHours: state.history.checkinEveryHours).map { [$0] } ?? [],
            alsoMatched: [], triggeredAt: start.addingTimeInterval(silence), detectedAt: detectedAt,
            recommendedAction: severity.recommendedAction
        )
        group(&alert, state: &state)
        state.timers.awaitingCheckin.removeAll { $0.rule == TimerPolicy.missedCheckinsRule }
        state.timers.awaitingCheckin.append(alert)
        track(alert, in: &state)
        return alert
    }

    /// A check-in newer than the clock: publishes the absence alerts again as `resolved` and restarts the clock.
    func checkinArrived(_ event: PatientEvent, state: inout PatientState, detectedAt: Date) -> [Alert] {
        if let start = state.timers.checkinClockStart, event.time < start { return [] }
        state.timers.restartClock(at: event, type: .checkin)
        state.timers.lapseDeadline = nil
        let resolved = state.timers.awaitingCheckin.map { alert in
            var copy = alert
            copy.alertId = AlertID.make(patientId: alert.patientId, rule: alert.rule, eventSource: alert.alertId, eventId: event.id, status: .resolved)
            copy.status = .resolved
            copy.originalAlertId = alert.alertId
            copy.summary = "Resolved: the patient checked in again (\(alert.summary))"
            copy.evidence.append(Evidence(eventId: event.id, type: .checkin, time: event.time, field: "time", value: .string(RFC3339.format(event.time))))
            copy.triggeredAt = event.time
            copy.detectedAt = detectedAt
            copy.recommendedAction = Severity.low.recommendedAction
            copy.notify = false
            return copy
        }
        let resolvedIds = Set(state.timers.awaitingCheckin.map(\.alertId))
        state.timers.escalations.removeAll { resolvedIds.contains($0.alert.alertId) }
        state.timers.awaitingCheckin = []
        for alert in resolved { remember(alert, in: &state) }
        return resolved
    }

    /// An active enrolment newer than the clock starts it: a new patient is expected to check in from then on.
    func enrolled(_ event: PatientEvent, state: inout PatientState) {
        if let start = state.timers.checkinClockStart, event.time <= start { return }
        state.timers.restartClock(at: event, type: .enrollment)
    }

    // MARK: Lapses and escalation

    /// After an alert: a lapse starts the `silence-after-lapse` clock; a severity with escalation delays starts
    /// escalating, replacing a pending escalation of the same rule at or below its severity.
    func alertPublished(_ alert: Alert, by event: PatientEvent, state: inout PatientState) {
        if timerPolicy.silenceAfterLapseEnabled, timerPolicy.lapseRules.contains(alert.rule) || alert.alsoMatched.contains(where: timerPolicy.lapseRules.contains) {
            state.timers.lapseDeadline = event.time.addingTimeInterval(timerPolicy.silenceAfterLapse)
            state.timers.lapseAlertId = alert.alertId
            state.timers.lapseEvidence = Evidence(eventId: event.id, type: event.type, time: event.time, field: "alertId", value: .string(alert.alertId))
        }
        track(alert, in: &state)
    }

    /// Only a page escalates: an alert that joined a group without paging is covered by the group's page. A new
    /// page replaces a pending escalation of the same rule, or of the same group, at or below its severity.
    private func track(_ alert: Alert, in state: inout PatientState) {
        guard alert.notify, let delays = timerPolicy.escalationDelays[alert.severity], !delays.isEmpty else { return }
        // The replaced escalation's ids move to the new one: an acknowledgement of any of them still stops it.
        var escalation = PatientTimers.Escalation(alert: alert, level: 0, alertIds: [alert.alertId])
        state.timers.escalations.removeAll {
            let sameGroup = AlertIDList.same($0.alert.groupId, alert.groupId)
            let replaced = ($0.alert.rule == alert.rule || sameGroup) && $0.alert.severity <= alert.severity
            if replaced, sameGroup { escalation.remember(contentsOf: $0.alertIds) }
            return replaced
        }
        state.timers.escalations.append(escalation)
    }

    private func fireEscalations(patientId: String, state: inout PatientState, now: Date) -> [Alert] {
        var alerts: [Alert] = []
        for index in state.timers.escalations.indices {
            let escalation = state.timers.escalations[index]
            let delays = timerPolicy.escalationDelays[escalation.alert.severity] ?? []
            var level = escalation.level
            while level < delays.count, escalation.alert.detectedAt.addingTimeInterval(delays[level]) <= now { level += 1 }
            guard level > escalation.level else { continue }
            var copy = escalation.alert
            copy.alertId = AlertID.make(patientId: patientId, rule: copy.rule, eventSource: escalation.alert.alertId, eventId: "escalation-\(level)", status: .escalated)
            copy.status = .escalated
            copy.escalationLevel = level
            copy.originalAlertId = escalation.alert.alertId
            copy.notify = true
            copy.detectedAt = now
            state.timers.escalations[index].level = level
            alerts.append(copy)
        }
        for alert in alerts { remember(alert, in: &state) }
        state.timers.escalations.removeAll { $0.level >= (timerPolicy.escalationDelays[$0.alert.severity]?.count ?? 0) }
        return alerts
    }

    /// The `source` part of a timer alert's id: timer alerts have no triggering input event.
    static var timerSource: String { "vigil.timer" }

    private static func hours(_ seconds: TimeInterval) -> String {
        let hours = seconds / 3600
        return hours == hours.rounded() ? String(Int(hours)) : String(format: "%.1f", hours)
    }
}

extension PatientTimers {
    mutating func restartClock(at event: PatientEvent, type: EventType) {
        checkinClockStart = event.time
        checkinClockEventId = event.id
        checkinClockEventType = type
        missedLevel = 0
    }

    func clockEvidence(cadenceHours: Double) -> Evidence? {
        guard let start = checkinClockStart, let eventId = checkinClockEventId else { return nil }
        return Evidence(eventId: eventId, type: checkinClockEventType, time: start, field: "checkinEveryHours", value: .number(cadenceHours))
    }
}
