import Foundation

/// Writes an alert as a structured-mode CloudEvent (`application/cloudevents+json`), as CONTRACT.md specifies.
public enum AlertEncoder {
    /// The CloudEvents `source` of every alert.
    public static let source = "/vigil"
    public static let contentType = "application/cloudevents+json"

    public static func encode(_ alert: Alert) -> [UInt8] {
        var json = JSONWriter(capacity: 768 + alert.evidence.count * 160)
        json.beginObject()
        json.field("specversion", "1.0")
        json.field("id", alert.alertId)
        json.field("source", source)
        json.field("type", Alert.eventType)
        json.field("subject", alert.patientId)
        json.field("time", time: alert.detectedAt)
        json.field("datacontenttype", "application/json")
        json.key("data")
        writeData(alert, to: &json)
        json.endObject()
        return json.bytes
    }

    /// The alert's `data` object alone (CONTRACT.md's alert fields), for the backtest's report.
    public static func writeData(_ alert: Alert, to json: inout JSONWriter) {
        json.beginObject()
        json.field("alertId", alert.alertId)
        json.field("patientId", alert.patientId)
        json.field("rule", alert.rule)
        json.field("ruleVersion", alert.ruleVersion)
        json.field("severity", alert.severity.name)
        json.field("status", alert.status.rawValue)
        json.field("summary", alert.summary)
        json.key("evidence")
        json.beginArray()
        for evidence in alert.evidence { write(evidence, to: &json) }
        json.endArray()
        json.key("alsoMatched")
        json.beginArray()
        for rule in alert.alsoMatched { json.string(rule) }
        json.endArray()
        json.field("triggeredAt", time: alert.triggeredAt)
        json.field("detectedAt", time: alert.detectedAt)
        json.field("recommendedAction", alert.recommendedAction)
        if let level = alert.escalationLevel { json.field("escalationLevel", level) }
        if let original = alert.originalAlertId { json.field("originalAlertId", original) }
        json.field("groupId", alert.groupId)
        json.key("notify")
        json.bool(alert.notify)
        json.endObject()
    }

    private static func write(_ evidence: Evidence, to json: inout JSONWriter) {
        json.beginObject()
        json.field("eventId", evidence.eventId)
        json.field("type", evidence.type.rawValue)
        json.field("time", time: evidence.time)
        json.field("field", evidence.field)
        json.key("value")
        switch evidence.value {
        case .number(let number): json.number(number)
        case .bool(let flag): json.bool(flag)
        case .string(let text): json.string(text)
        case .strings(let texts):
            json.beginArray()
            for text in texts { json.string(text) }
            json.endArray()
        }
        json.endObject()
    }
}
