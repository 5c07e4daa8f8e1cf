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
        return hexadecimal(hash.value)
    }

    /// 32 lower-case digits, zero-padded (`String(_:radix:)` divides a `UInt128` digit by digit, a tenth of the
    /// engine's time per event).
    private static func hexadecimal(_ value: UInt128) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for position in 0..<32 {
                let nibble = Int(truncatingIfNeeded: value >> (4 * (31 - position))) & 0xF
                buffer[position] = digits.utf8Start[nibble]
            }
            return 32
        }
    }
}
