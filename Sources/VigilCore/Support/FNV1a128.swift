/// FNV-1a over 128 bits, with the reference offset basis and prime. Alert ids are published and processed-event
/// fingerprints are stored in the state changelog, so both must stay exactly what earlier releases computed (tests
/// pin values computed independently).
struct FNV1a128 {
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b
    private(set) var value: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d

    mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte) }
    }

    /// `text`, then 0xFF, which never occurs in UTF-8: keeps ("ab", "c") apart from ("a", "bc").
    mutating func addField(_ text: String) {
        add(text)
        add(0xFF)
    }

    private mutating func add(_ byte: UInt8) {
        value ^= UInt128(byte)
        value &*= Self.prime
    }
}
