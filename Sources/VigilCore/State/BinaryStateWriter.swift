import Foundation

/// The primitives of a binary state record (layout: `PatientStateCodec`): LEB128 varints, tagged dates and
/// numbers, and strings written once per record and referred back to afterwards. `BinaryStateReader` reads them.
struct BinaryStateWriter {
    private(set) var bytes: [UInt8] = []
    /// Where each string written so far lies in `bytes`; its index is its back-reference.
    private var strings: [(start: Int, count: Int, hash: UInt64)] = []
    /// Built only for records with many strings; a short record's few are scanned (no hashing table to allocate).
    private var stringIndex: [UInt64: Int]?
    private static let stringsScanned = 24

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        // Room for a typical record's strings at once: grown from empty, the table was reallocated three or four
        // times for every record written.
        strings.reserveCapacity(16)
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func count(_ value: Int) { varint(UInt64(value)) }
    mutating func integer(_ value: Int) { varint(Self.zigzag(Int64(value))) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Milliseconds since 1970 when they give back the very same date (the usual case), else its exact bits.
    mutating func date(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        if abs(milliseconds) < 0x1p53, Date(timeIntervalSince1970: milliseconds / 1000) == date {
            varint(Self.zigzag(Int64(milliseconds)) << 1)
        } else {
            raw(date.timeIntervalSinceReferenceDate)
        }
    }

    /// Scores and hours are mostly small integers: one byte for 0...255 (not -0), else the exact bits.
    mutating func number(_ value: Double) {
        if value >= 0, value <= 255, value.rounded() == value, value.sign == .plus {
            varint(UInt64(value) << 1)
        } else {
            raw(value)
        }
    }

    /// 8 little-endian bytes.
    mutating func word(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ value: String) { string(value, headerOffset: 0) }

    /// 0 for nil, so that an absent string costs one byte and a present one nothing extra.
    mutating func optionalString(_ value: String?) {
        guard let value else { return varint(0) }
        string(value, headerOffset: 1)
    }

    private mutating func raw(_ value: Double) {
        varint(1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A string given as its UTF-8 bytes.
    mutating func string(utf8: UnsafeBufferPointer<UInt8>) { string(utf8: utf8, headerOffset: 0) }

    private mutating func string(_ value: String, headerOffset: UInt64) {
        var text = value
        text.withUTF8 { string(utf8: $0, headerOffset: headerOffset) }
    }

    private mutating func string(utf8: UnsafeBufferPointer<UInt8>, headerOffset: UInt64) {
        // Looked up by a cheap hash of the bytes and confirmed byte for byte: a back-reference must give back
        // the very bytes first written (`String`'s `==` also holds for canonically equivalent strings).
        // On a hash collision the later string is written in full each time: still correct, never shorter.
        let hash = Self.fnv1a(utf8)
        if let index = firstString(withHash: hash) {
            let written = strings[index]
            let same = written.count == utf8.count && bytes.withUnsafeBufferPointer { buffer in
                utf8.count == 0 || memcmp(buffer.baseAddress! + written.start, utf8.baseAddress!, utf8.count) == 0
            }
            if same { return varint((UInt64(index) << 1 | 1) + headerOffset) }
        }
        varint((UInt64(utf8.count) << 1) + headerOffset)
        remember((bytes.count, utf8.count, hash))
        bytes.append(contentsOf: utf8)
    }

    private func firstString(withHash hash: UInt64) -> Int? {
        if let stringIndex { return stringIndex[hash] }
        return strings.firstIndex { $0.hash == hash }
    }

    private mutating func remember(_ string: (start: Int, count: Int, hash: UInt64)) {
        if stringIndex == nil, strings.count == Self.stringsScanned {
            stringIndex = Dictionary(strings.enumerated().map { ($0.element.hash, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        if stringIndex != nil, stringIndex?[string.hash] == nil { stringIndex?[string.hash] = strings.count }
        strings.append(string)
    }

    private static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    private static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
}
