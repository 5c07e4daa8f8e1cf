import Foundation

/// The primitives of a binary state record (layout: `PatientStateCodec`): LEB128 varints, tagged dates and
/// numbers, and strings written once per record and referred back to afterwards. `BinaryStateReader` reads them.
struct BinaryStateWriter {
    private(set) var bytes: [UInt8] = []
    /// The strings written so far, with their back-reference index (the order of first appearance).
    private var strings: [StringKey: UInt64] = [:]

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
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

    private mutating func string(_ value: String, headerOffset: UInt64) {
        let key = StringKey(string: value)
        if let index = strings[key] { return varint((index << 1 | 1) + headerOffset) }
        strings[key] = UInt64(strings.count)
        var text = value
        text.withUTF8 { utf8 in
            varint((UInt64(utf8.count) << 1) + headerOffset)
            bytes.append(contentsOf: utf8)
        }
    }

    private static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
}

/// A string compared by its UTF-8 bytes: `String`'s `==` holds for canonically equivalent strings, and a
/// back-reference must give back the very bytes first written.
private struct StringKey: Hashable {
    var string: String

    static func == (lhs: StringKey, rhs: StringKey) -> Bool { lhs.string.utf8.elementsEqual(rhs.string.utf8) }

    func hash(into hasher: inout Hasher) {
        var text = string
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
