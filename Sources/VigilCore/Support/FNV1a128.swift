/// FNV-1a over 128 bits, with the reference offset basis and prime. Alert ids are published and processed-event
/// fingerprints are stored in the state changelog, so both must stay exactly what earlier releases computed (tests
/// pin values computed independently).
public struct FNV1a128: Sendable {
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b
    public private(set) var value: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d

    public init() {}

    public mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte) }
    }

    /// `text`, then 0xFF, which never occurs in UTF-8: keeps ("ab", "c") apart from ("a", "bc").
    public mutating func addField(_ text: String) {
        add(text)
        add(0xFF)
    }

    private mutating func add(_ byte: UInt8) {
        value ^= UInt128(byte)
        value &*= Self.prime
    }

    /// The value as 32 lower-case hexadecimal digits: an alert id.
    public var hexadecimal: String { Self.hexadecimal(value) }

    /// `value` as 32 lower-case hexadecimal digits, zero-padded (`String(_:radix:)` divides a `UInt128` digit by
    /// digit, a tenth of the engine's time per event).
    public static func hexadecimal(_ value: UInt128) -> String {
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
