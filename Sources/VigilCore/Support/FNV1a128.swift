/// FNV-1a over 128 bits, with the reference offset basis and prime. Alert ids are published and processed-event
/// fingerprints are stored in the state changelog, so both must stay exactly what earlier releases computed (tests
/// pin values computed independently).
public struct FNV1a128: Sendable {
    public private(set) var value: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d

    public init() {}

    public mutating func add(_ text: String) {
        // Over the contiguous bytes with a local: a fingerprint is taken of every event's source and id.
        var text = text
        let start = value
        value = text.withUTF8 { bytes in
            var hash = start
            for byte in bytes { hash = Self.step(hash, byte) }
            return hash
        }
    }

    /// `text`, then 0xFF, which never occurs in UTF-8: keeps ("ab", "c") apart from ("a", "bc").
    public mutating func addField(_ text: String) {
        add(text)
        add(0xFF)
    }

    private mutating func add(_ byte: UInt8) {
        value = Self.step(value, byte)
    }

    /// One byte of FNV-1a. The prime is 2^88 + 0x13b, so the product is a shift and a small multiplication.
    private static func step(_ hash: UInt128, _ byte: UInt8) -> UInt128 {
        let mixed = hash ^ UInt128(byte)
        return (mixed << 88) &+ mixed &* 0x13b
    }

    /// The value as 32 lower-case hexadecimal digits: an alert id.
    public var hexadecimal: String { Self.hexadecimal(value) }

    /// `value` as 32 lower-case hexadecimal digits, zero-padded (`String(_:radix:)` divides a `UInt128` digit by
    /// digit, a tenth of the engine's time per event).
    public static func hexadecimal(_ value: UInt128) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHexadecimal(value, to: buffer)
            return 32
        }
    }

    /// The 32 digits of `hexadecimal(_:)` into the first 32 bytes of `buffer`.
    static func writeHexadecimal(_ value: UInt128, to buffer: UnsafeMutableBufferPointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        for position in 0..<32 {
            let nibble = Int(truncatingIfNeeded: value >> (4 * (31 - position))) & 0xF
            buffer[position] = digits.utf8Start[nibble]
        }
    }
}
