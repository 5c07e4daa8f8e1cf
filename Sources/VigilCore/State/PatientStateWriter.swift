import Foundation

/// Writes a patient's state as the same JSON that its synthesized `Encodable` conformance produces (so
/// `JSONDecoder` reads it back), straight into a byte buffer: the changelog writes every changed patient each
/// commit interval, and Foundation's `JSONEncoder` took about 80 µs a patient, most of the pipeline's time.
/// Keys follow the property names; optionals are omitted when nil; dates are seconds since 2001 (Foundation's
/// default); a dictionary with non-string keys is an array alternating keys and values. A test compares this
/// writer's output with `JSONEncoder`'s for a state with every field set. Since format version 2 (binary) it writes
/// only version-1 records, which the tests use to check the upgrade.
enum PatientStateWriter {
    static func write(_ state: PatientState, to json: inout JSONWriter) {
        json.beginObject()
        json.key("history")
        write(state.history, to: &json)
        json.key("processedEvents")
        json.beginArray()
        for (key, time) in state.processedEvents {
            json.beginObject()
            json.field("source", key.source)
            json.field("id", key.id)
            json.endObject()
            json.date(time)
        }
        json.endArray()
        json.key("cooldowns")
        json.beginObject()
        for (rule, cooldown) in state.cooldowns {
            json.key(rule)
            json.beginObject()
            json.dateField("until", cooldown.until)
            json.field("severity", cooldown.severity.rawValue)
            json.endObject()
        }
        json.endObject()
        json.key("timers")
        write(state.timers, to: &json)
        json.boolField("isDischarged", state.isDischarged)
        json.dateField("latestEventTime", state.latestEventTime)
        if let partition = state.partition { json.field("partition", Int(partition)) }
        json.dateField("nextPruneAt", state.nextPruneAt)
        json.endObject()
    }

    private static func write(_ history: PatientHistory, to json: inout JSONWriter) {
        json.beginObject()
        json.key("cravings")
        json.beginArray()
        for record in history.cravings {
            json.beginObject()
            json.field("eventId", record.eventId)
            json.dateField("time", record.time)
            json.numberField("score", record.score)
            if let substance = record.substance { json.field("substance", substance) }
            json.endObject()
        }
        json.endArray()
        json.key("checkins")
        json.beginArray()
        for record in history.checkins {
            json.beginObject()
            json.field("eventId", record.eventId)
            json.dateField("time", record.time)
            json.key("checkin")
            write(record.checkin, to: &json)
            json.endObject()
        }
        json.endArray()
        json.key("appointments")
        json.beginArray()
        for record in history.appointments {
            json.beginObject()
            json.field("eventId", record.eventId)
            json.dateField("time", record.time)
            json.field("status", record.status.rawValue)
            json.endObject()
        }
        json.endArray()
        json.numberField("checkinEveryHours", history.checkinEveryHours)
        json.endObject()
    }

    private static func write(_ checkin: Checkin, to json: inout JSONWriter) {
        json.beginObject()
        if let mood = checkin.mood { json.field("mood", mood) }
        if let stress = checkin.stress { json.field("stress", stress) }
        if let sleepHours = checkin.sleepHours { json.numberField("sleepHours", sleepHours) }
        if let use = checkin.substanceUse {
            json.key("substanceUse")
            json.beginObject()
            json.boolField("used", use.used)
            json.stringsField("substances", use.substances)
            json.endObject()
        }
        if let cueExposure = checkin.cueExposure { json.boolField("cueExposure", cueExposure) }
        if let withdrawal = checkin.withdrawal {
            json.key("withdrawal")
            json.beginObject()
            json.field("scale", withdrawal.scale.rawValue)
            json.numberField("score", withdrawal.score)
            json.boolField("complicated", withdrawal.complicated)
            json.endObject()
        }
        if let item9 = checkin.phq9Item9 { json.field("phq9Item9", item9) }
        if let helpRequested = checkin.helpRequested { json.boolField("helpRequested", helpRequested) }
        json.endObject()
    }

    private static func write(_ timers: PatientTimers, to json: inout JSONWriter) {
        json.beginObject()
        if let start = timers.checkinClockStart { json.dateField("checkinClockStart", start) }
        if let eventId = timers.checkinClockEventId { json.field("checkinClockEventId", eventId) }
        json.field("checkinClockEventType", timers.checkinClockEventType.rawValue)
        json.field("missedLevel", timers.missedLevel)
        if let deadline = timers.lapseDeadline { json.dateField("lapseDeadline", deadline) }
        if let alertId = timers.lapseAlertId { json.field("lapseAlertId", alertId) }
        if let evidence = timers.lapseEvidence {
            json.key("lapseEvidence")
            write(evidence, to: &json)
        }
        json.key("awaitingCheckin")
        json.beginArray()
        for alert in timers.awaitingCheckin { write(alert, to: &json) }
        json.endArray()
        json.key("escalations")
        json.beginArray()
        for escalation in timers.escalations {
            json.beginObject()
            json.key("alert")
            write(escalation.alert, to: &json)
            json.field("level", escalation.level)
            json.stringsField("alertIds", escalation.alertIds)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    private static func write(_ alert: Alert, to json: inout JSONWriter) {
        json.beginObject()
        json.field("alertId", alert.alertId)
        json.field("patientId", alert.patientId)
        json.field("rule", alert.rule)
        json.field("ruleVersion", alert.ruleVersion)
        json.field("severity", alert.severity.rawValue)
        json.field("status", alert.status.rawValue)
        json.field("summary", alert.summary)
        json.key("evidence")
        json.beginArray()
        for evidence in alert.evidence { write(evidence, to: &json) }
        json.endArray()
        json.stringsField("alsoMatched", alert.alsoMatched)
        json.dateField("triggeredAt", alert.triggeredAt)
        json.dateField("detectedAt", alert.detectedAt)
        json.field("recommendedAction", alert.recommendedAction)
        if let level = alert.escalationLevel { json.field("escalationLevel", level) }
        if let original = alert.originalAlertId { json.field("originalAlertId", original) }
        json.endObject()
    }

    private static func write(_ evidence: Evidence, to json: inout JSONWriter) {
        json.beginObject()
        json.field("eventId", evidence.eventId)
        json.field("type", evidence.type.rawValue)
        json.dateField("time", evidence.time)
        json.field("field", evidence.field)
        json.key("value")
        // Synthesized enum coding: the case name, then its unlabelled payload as `_0`.
        json.beginObject()
        switch evidence.value {
        case .number(let number):
            json.key("number")
            json.beginObject()
            json.numberField("_0", number)
        case .bool(let flag):
            json.key("bool")
            json.beginObject()
            json.boolField("_0", flag)
        case .string(let text):
            json.key("string")
            json.beginObject()
            json.field("_0", text)
        case .strings(let texts):
            json.key("strings")
            json.beginObject()
            json.stringsField("_0", texts)
        }
        json.endObject()
        json.endObject()
        json.endObject()
    }
}

extension JSONWriter {
    /// A date as `JSONEncoder` writes it by default: seconds since 1 January 2001, as a number.
    mutating func date(_ date: Date) { number(date.timeIntervalSinceReferenceDate) }
    mutating func dateField(_ name: String, _ date: Date) { key(name); self.date(date) }
    mutating func numberField(_ name: String, _ value: Double) { key(name); number(value) }
    mutating func boolField(_ name: String, _ value: Bool) { key(name); bool(value) }

    mutating func stringsField(_ name: String, _ values: [String]) {
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }
}
