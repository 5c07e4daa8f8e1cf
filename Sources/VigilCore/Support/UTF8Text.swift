/// Text from borrowed bytes, on the hot path: specialised code instead of the generic `String(validating:as:)`,
/// whose metadata look-ups cost more than the rest of the decoding.
enum UTF8Text {
    /// The bytes as a string, or nil when they are not valid UTF-8.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            // `String(decoding:)` repairs invalid sequences; comparing the result with the input detects a repair.
            let string = String(decoding: buffer, as: UTF8.self)
            if isASCII(buffer) { return string }
            return string.utf8.elementsEqual(buffer) ? string : nil
        }
    }

    /// Whether the bytes are valid UTF-8, without allocating for ASCII.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            isASCII(buffer) || String(decoding: buffer, as: UTF8.self).utf8.elementsEqual(buffer)
        }
    }

    static func isASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in buffer where byte >= 0x80 { return false }
        return true
    }

    /// Whether UTF-8 bytes hold a control character (U+0000–U+001F, U+007F–U+009F), which CloudEvents forbids in
    /// string attributes. U+0080–U+009F are encoded `C2 80` to `C2 9F`; `C2` is never a continuation byte.
    static func containsControlCharacter(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var afterC2 = false
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F || (afterC2 && (0x80...0x9F).contains(byte)) { return true }
            afterC2 = byte == 0xC2
        }
        return false
    }

    /// The same check on a string: over its UTF-8 bytes, which a native string holds contiguously (decoding its
    /// scalars one by one cost about 1% of an event's processing).
    static func containsControlCharacter(_ text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ containsControlCharacter(UnsafeRawBufferPointer($0)) }) {
            return found
        }
        return text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// Whether the bytes start with `prefix` (ASCII), ignoring ASCII case; no allocation.
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, ignoringCase prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        for index in 0..<count where lowercase(bytes[index]) != lowercase(prefix.utf8Start[index]) {
            return false
        }
        return true
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}

extension String {
    /// Lower-cased, without allocating when it already is (the usual case for substance names).
    var asciiLowercasedIfNeeded: String {
        utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 >= 0x80 }) ? lowercased() : self
    }
}
