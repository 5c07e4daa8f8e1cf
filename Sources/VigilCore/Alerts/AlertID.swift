/// Deterministic alert ids: FNV-1a over the patient, rule, triggering event and status, 128 bits wide so that
/// collisions are negligible at any caseload. A redelivered event yields the same id, so consumers can deduplicate.
public enum AlertID {
    private static let offsetBasis: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b

    public static func make(patientId: String, rule: String, eventSource: String, eventId: String, status: Alert.Status) -> String {
        var hash = offsetBasis
        mix(patientId, into: &hash)
        mix(rule, into: &hash)
        mix(eventSource, into: &hash)
        mix(eventId, into: &hash)
        mix(status.rawValue, into: &hash)
        return hexadecimal(hash)
    }

    private static func mix(_ part: String, into hash: inout UInt128) {
        for byte in part.utf8 {
            hash ^= UInt128(byte)
            hash &*= prime
        }
        // A separator that cannot occur inside a part keeps ("ab","c") apart from ("a","bc").
        hash ^= 0xFF
        hash &*= prime
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
