import Foundation

/// The layout of a version-4 record (documented on `PatientStateCodec`), field by field.
/// `BinaryStateReader+PatientState` reads it in the same order.
extension BinaryStateWriter {
    mutating func write(_ state: PatientState) {
        write(state.history)
        count(state.processedEvents.count)
        for entry in state.processedEvents.entries {
            word(entry.fingerprint.lowWord)
            word(entry.fingerprint.high)
            date(entry.time)
        }
        count(state.cooldowns.count)
        // In rule order (`RuleCooldowns` keeps them sorted), so that the same state always gives the same record.
        for entry in state.cooldowns.entries {
            string(entry.rule)
            date(entry.cooldown.until)
            byte(entry.cooldown.severity.stateCode)
        }
        write(state.timers)
        bool(state.isDischarged)
        date(state.latestEventTime)
        date(state.nextPruneAt)
        bool(state.group != nil)
        if let group = state.group {
            string(group.id)
            date(group.latestTriggeredAt)
            byte(group.notifiedSeverity.stateCode)
            alertIDs(group.memberIds)
        }
    }

    private mutating func write(_ history: PatientHistory) {
        count(history.cravings.count)
        for record in history.cravings {
            string(record.eventId)
            date(record.time)
            number(history.score(of: record))
            optionalString(history.substance(of: record))
        }
        count(history.checkins.count)
        for record in history.checkins {
            string(record.eventId)
            date(record.time)
            write(record.checkin)
        }
        count(history.appointments.count)
        for record in history.appointments {
            string(record.eventId)
            date(record.time)
            byte(record.status.stateCode)
        }
        number(history.checkinEveryHours)
    }

    private mutating func write(_ checkin: Checkin) {
        byte(
            Self.bit(0, checkin.mood != nil) | Self.bit(1, checkin.stress != nil) | Self.bit(2, checkin.sleepHours != nil)
                | Self.bit(3, checkin.substanceUse != nil) | Self.bit(4, checkin.cueExposure != nil)
                | Self.bit(5, checkin.withdrawal != nil) | Self.bit(6, checkin.phq9Item9 != nil)
                | Self.bit(7, checkin.helpRequested != nil)
        )
        if let mood = checkin.mood { integer(mood) }
        if let stress = checkin.stress { integer(stress) }
        if let sleepHours = checkin.sleepHours { number(sleepHours) }
        if let use = checkin.substanceUse {
            bool(use.used)
            strings(use.substances)
        }
        if let cueExposure = checkin.cueExposure { bool(cueExposure) }
        if let withdrawal = checkin.withdrawal {
            byte(withdrawal.scale.stateCode)
            number(withdrawal.score)
            bool(withdrawal.complicated)
        }
        if let item9 = checkin.phq9Item9 { integer(item9) }
        if let helpRequested = checkin.helpRequested { bool(helpRequested) }
    }

    private mutating func write(_ timers: PatientTimers) {
        byte(
            Self.bit(0, timers.checkinClockStart != nil) | Self.bit(1, timers.checkinClockEventId != nil)
                | Self.bit(2, timers.lapseDeadline != nil) | Self.bit(3, timers.lapseAlertId != nil)
                | Self.bit(4, timers.lapseEvidence != nil)
        )
        if let start = timers.checkinClockStart { date(start) }
        if let eventId = timers.checkinClockEventId { string(eventId) }
        byte(timers.checkinClockEventType.stateCode)
        integer(timers.missedLevel)
        if let deadline = timers.lapseDeadline { date(deadline) }
        if let alertId = timers.lapseAlertId { string(alertId) }
        if let evidence = timers.lapseEvidence { write(evidence) }
        count(timers.awaitingCheckin.count)
        for alert in timers.awaitingCheckin { write(alert) }
        count(timers.escalations.count)
        for escalation in timers.escalations {
            write(escalation.alert)
            integer(escalation.level)
            alertIDs(escalation.alertIds)
        }
    }

    /// Without `patientId` (the record's key), `recommendedAction` when it is the severity's default, and `groupId`
    /// when the alert opened its group.
    private mutating func write(_ alert: Alert) {
        let customAction = alert.recommendedAction != alert.severity.recommendedAction
        let joinedGroup = alert.groupId != alert.alertId
        byte(
            Self.bit(0, customAction) | Self.bit(1, alert.escalationLevel != nil) | Self.bit(2, alert.originalAlertId != nil)
                | Self.bit(3, joinedGroup) | Self.bit(4, !alert.notify)
        )
        string(alert.alertId)
        string(alert.rule)
        integer(alert.ruleVersion)
        byte(alert.severity.stateCode)
        byte(alert.status.stateCode)
        string(alert.summary)
        count(alert.evidence.count)
        for evidence in alert.evidence { write(evidence) }
        strings(alert.alsoMatched)
        date(alert.triggeredAt)
        date(alert.detectedAt)
        if customAction { string(alert.recommendedAction) }
        if let level = alert.escalationLevel { integer(level) }
        if let original = alert.originalAlertId { string(original) }
        if joinedGroup { string(alert.groupId) }
    }

    private mutating func write(_ evidence: Evidence) {
        string(evidence.eventId)
        byte(evidence.type.stateCode)
        date(evidence.time)
        string(evidence.field)
        switch evidence.value {
        case .number(let number):
            byte(0)
            self.number(number)
        case .bool(let flag):
            byte(flag ? 2 : 1)
        case .string(let text):
            byte(3)
            string(text)
        case .strings(let texts):
            byte(4)
            strings(texts)
        }
    }

    private mutating func strings(_ values: [String]) {
        count(values.count)
        for value in values { string(value) }
    }

    /// As `strings(_:)` of the list's `ids`, written from their values.
    private mutating func alertIDs(_ list: AlertIDList) {
        count(list.count)
        list.forEachID { string(utf8: $0) }
    }

    /// One bit of a byte of presence flags (written without an array: this runs for every changed patient).
    private static func bit(_ position: UInt8, _ present: Bool) -> UInt8 { present ? 1 << position : 0 }
}
