import Foundation

/// Reads what `BinaryStateWriter` writes, from borrowed bytes that may be hostile: every read is bounds-checked,
/// arithmetic cannot trap, and no count is trusted beyond the bytes that remain.
struct BinaryStateReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset: Int
    /// The strings read so far, in order of first appearance: what back-references index.
    private var strings: [String] = []

    init(_ bytes: UnsafeRawBufferPointer, offset: Int) {
        self.bytes = bytes
        self.offset = offset
        strings.reserveCapacity(8)
    }

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(PatientStateCodecError) -> UInt8 {
        guard offset < bytes.count else { throw PatientStateCodecError(.truncated, "the record ends at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bool() throws(PatientStateCodecError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw malformed("a flag is neither 0 nor 1")
        }
    }

    /// LEB128, at most 10 bytes; a tenth byte may hold only the 64th bit.
    mutating func varint() throws(PatientStateCodecError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            if shift == 63, byte > 1 { throw malformed("a varint is longer than 10 bytes or overflows 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A number of elements that follow: each takes at least one byte, so a larger count is a lie.
    mutating func count() throws(PatientStateCodecError) -> Int {
        let count = try varint()
        guard count <= UInt64(remaining) else { throw malformed("a count of \(count) exceeds the \(remaining) bytes left") }
        return Int(count)
    }

    mutating func integer() throws(PatientStateCodecError) -> Int {
        Int(truncatingIfNeeded: Self.unzigzag(try varint()))
    }

    /// A count that indexes a table (a timer level): never negative.
    mutating func level() throws(PatientStateCodecError) -> Int {
        let level = try integer()
        guard level >= 0 else { throw malformed("a level is negative") }
        return level
    }

    /// Dates are refused beyond about ±3,000 years of 2001 (`Date.distantPast` and `distantFuture` lie within):
    /// a hostile record must not make the engine trap later on a date it cannot format or add to.
    mutating func date() throws(PatientStateCodecError) -> Date {
        let header = try varint()
        let date: Date
        if header & 1 == 0 {
            let milliseconds = Self.unzigzag(header >> 1)
            guard milliseconds.magnitude <= 1 << 53 else { throw malformed("a date out of range") }
            date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        } else {
            date = Date(timeIntervalSinceReferenceDate: try raw(header))
        }
        guard date.timeIntervalSinceReferenceDate.magnitude <= Self.maximumSecondsFrom2001 else { throw malformed("a date out of range") }
        return date
    }

    static let maximumSecondsFrom2001: Double = 1e11

    mutating func number() throws(PatientStateCodecError) -> Double {
        let header = try varint()
        if header & 1 == 0 {
            guard header >> 1 <= 255 else { throw malformed("a small number is above 255") }
            return Double(header >> 1)
        }
        return try raw(header)
    }

    mutating func string() throws(PatientStateCodecError) -> String { try string(header: try varint()) }

    mutating func optionalString() throws(PatientStateCodecError) -> String? {
        let header = try varint()
        return header == 0 ? nil : try string(header: header - 1)
    }

    func malformed(_ message: String) -> PatientStateCodecError { PatientStateCodecError(.malformed, "\(message) (byte \(offset))") }

    /// 8 little-endian bytes.
    mutating func word() throws(PatientStateCodecError) -> UInt64 {
        guard remaining >= 8 else { throw PatientStateCodecError(.truncated, "the record ends inside a fingerprint") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    private mutating func raw(_ header: UInt64) throws(PatientStateCodecError) -> Double {
        guard header == 1 else { throw malformed("an unknown number tag") }
        guard remaining >= 8 else { throw PatientStateCodecError(.truncated, "the record ends inside a number") }
        let value = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        offset += 8
        guard value.isFinite else { throw malformed("a number that is not finite") }
        return value
    }

    private mutating func string(header: UInt64) throws(PatientStateCodecError) -> String {
        if header & 1 == 1 {
            guard header >> 1 < UInt64(strings.count) else { throw malformed("a back-reference to a string not yet read") }
            return strings[Int(header >> 1)]
        }
        guard header >> 1 <= UInt64(remaining) else { throw PatientStateCodecError(.truncated, "the record ends inside a string") }
        let end = offset + Int(header >> 1)
        guard let string = UTF8Text.string(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) else {
            throw PatientStateCodecError(.invalidUTF8, "a string is not valid UTF-8 (byte \(offset))")
        }
        offset = end
        strings.append(string)
        return string
    }

    private static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }
}
