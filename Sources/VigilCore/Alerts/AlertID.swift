/// Deterministic alert ids: FNV-1a over the patient, rule, triggering event and status, 128 bits wide so that
/// collisions are negligible at any caseload. A redelivered event yields the same id, so consumers can deduplicate.
public enum AlertID {
    public static func make(patientId: String, rule: String, eventSource: String, eventId: String, status: Alert.Status) -> String {
        var hash = FNV1a128()
        hash.addField(patientId)
        hash.addField(rule)
        hash.addField(eventSource)
        hash.addField(eventId)
        hash.addField(status.rawValue)
        return hash.hexadecimal
    }
}
