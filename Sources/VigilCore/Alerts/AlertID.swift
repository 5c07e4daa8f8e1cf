/// Deterministic alert ids: FNV-1a over the patient, rule, triggering event and status, 128 bits wide so that
/// collisions are negligible at any caseload. A redelivered event yields the same id, so consumers can deduplicate.
public enum AlertID {
    private static let offsetBasis: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b

    public static func make(patientId: String, rule: String, eventSource: String, eventId: String, status: Alert.Status) -> String {
        var hash = offsetBasis
        for part in [patientId, rule, eventSource, eventId, status.rawValue] {
            for byte in part.utf8 {
                hash ^= UInt128(byte)
                hash &*= prime
            }
            // A separator that cannot occur inside a part keeps ("ab","c") apart from ("a","bc").
            hash ^= 0xFF
            hash &*= prime
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }
}
