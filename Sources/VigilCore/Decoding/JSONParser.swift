/// A strict RFC 8259 JSON parser that reads straight from a byte buffer (librdkafka's, on the hot path).
///
/// Foundation's decoders cost more than the whole per-event budget; this one allocates only the values it returns.
/// Depth is bounded so that hostile input cannot exhaust the stack.
public struct JSONParser {
    public struct Failure: Error, Equatable {
        public var offset: Int
        public var reason: String
    }

    public static let maximumDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the value") }
        return value
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        do {
            return try bytes.withUnsafeBytes { buffer in try parse(buffer) }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(offset: 0, reason: "unreadable")
        }
    }

    /// Reads a JSON object member by member without building it (the event envelope's hot path). `member` gets
    /// each member's name, unescaped and validated UTF-8, and must read the value with `readValue()` or
    /// `readString(_:)`. Returns nil, having read nothing, when the bytes hold no object. Syntax errors, nesting
    /// and trailing data fail as in `parse`, at the same offsets.
    public static func forEachMember(
        ofObject bytes: UnsafeRawBufferPointer,
        _ member: (UnsafeRawBufferPointer, inout JSONParser) throws(Failure) -> Void
    ) throws(Failure) -> Void? {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.current == UInt8(ascii: "{") else { return nil }
        parser.index += 1
        parser.skipWhitespace()
        if parser.current == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            try parser.readMembers(member)
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the value") }
        return ()
    }

    /// The members of an object, its `{` and any `}` of an empty one already read: each name (validated UTF-8) to
    /// `member`, which reads the value; then the closing `}`.
    private mutating func readMembers(_ member: (UnsafeRawBufferPointer, inout JSONParser) throws(Failure) -> Void) throws(Failure) {
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            // A name without escapes is a slice of the input, which outlives the parser; an escaped one is copied.
            var escapedName: [UInt8]?
            let input = bytes
            let name = try parseStringBytes { bytes, isASCII -> UnsafeRawBufferPointer? in
                guard isASCII || UTF8Text.isValid(bytes) else { return nil }
                if let base = input.baseAddress, let start = bytes.baseAddress, start >= base, start < base + input.count {
                    return bytes
                }
                escapedName = Array(bytes)
                return UnsafeRawBufferPointer(start: nil, count: 0)
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            if let escapedName {
                var thrown: Failure?
                escapedName.withUnsafeBytes { name in
                    do throws(Failure) { try member(name, &self) } catch { thrown = error }
                }
                if let thrown { throw thrown }
            } else {
                try member(name, &self)
            }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    /// The next value, parsed in full (as a member of a top-level object, for the nesting bound).
    public mutating func readValue() throws(Failure) -> JSONValue {
        try parseValue(depth: 1)
    }

    /// When the next value is a string: reads it and hands `read` its unescaped, validated UTF-8 (valid only during
    /// the call). Otherwise nil, having read nothing.
    public mutating func readString<Result>(_ read: (UnsafeRawBufferPointer) -> Result) throws(Failure) -> Result? {
        guard current == UInt8(ascii: "\"") else { return nil }
        return try parseStringBytes { bytes, isASCII in isASCII || UTF8Text.isValid(bytes) ? read(bytes) : nil }
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: index, reason: reason)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < Self.maximumDepth else { throw failure("nested too deeply") }
        guard let byte = current else { throw failure("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw failure("invalid literal")
        }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var members: [(String, JSONValue)] = []
        // Events have up to about eight members per object; growing the array step by step showed in profiles.
        members.reserveCapacity(8)
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        try readMembers { name, parser throws(Failure) in
            members.append((String(decoding: name, as: UTF8.self), try parser.parseValue(depth: depth + 1)))
        }
        return .object(members)
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        try parseStringBytes { bytes, isASCII in isASCII ? String(decoding: bytes, as: UTF8.self) : UTF8Text.string(bytes) }
    }

    /// Reads a string and hands its unescaped UTF-8 to `read` (the input's own bytes when it has no escapes, the
    /// usual case), with whether the scan found it all ASCII (then valid UTF-8 without a check); `read` returns nil
    /// for bytes that are not valid UTF-8.
    private mutating func parseStringBytes<Result>(_ read: (UnsafeRawBufferPointer, _ isASCII: Bool) -> Result?) throws(Failure) -> Result {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string. Scanned with locals: reading the
        // parser's own fields through `self` on every byte made this loop the costliest part of decoding.
        if let base = bytes.baseAddress {
            let end = bytes.count
            var position = start
            var bitsSeen: UInt8 = 0
            while position < end {
                let byte = base.load(fromByteOffset: position, as: UInt8.self)
                if byte == UInt8(ascii: "\"") {
                    index = position + 1
                    guard let result = read(UnsafeRawBufferPointer(start: base + start, count: position - start), bitsSeen < 0x80) else {
                        throw failure("invalid UTF-8")
                    }
                    return result
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 {
                    index = position
                    throw failure("control character in string")
                }
                bitsSeen |= byte
                position += 1
            }
            index = position
        }
        var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let result = utf8.withUnsafeBytes({ read($0, false) }) else { throw failure("invalid UTF-8") }
                return result
            case UInt8(ascii: "\\"):
                try appendEscape(to: &utf8)
            case ..<0x20:
                throw failure("control character in string")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func appendEscape(to utf8: inout [UInt8]) throws(Failure) {
        guard let byte = current else { throw failure("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("unpaired surrogate") }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("unpaired surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid escape") }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw failure("invalid escape")
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("short unicode escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid unicode escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, first.isDigit else { throw failure("invalid number") }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = current, next.isDigit { throw failure("leading zero") }
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = current, digit.isDigit else { throw failure("invalid fraction") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, digit.isDigit else { throw failure("invalid exponent") }
            skipDigits()
        }
        let digits = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        // Small integers (every score and id-like number) skip the general conversion.
        if isInteger, digits.count <= 15 {
            var value: Int64 = 0
            var negative = false
            for byte in digits {
                if byte == UInt8(ascii: "-") { negative = true } else { value = value * 10 + Int64(byte - 48) }
            }
            return Double(negative ? -value : value)
        }
        guard let value = Double(String(decoding: digits, as: UTF8.self)), value.isFinite else {
            throw failure("number out of range")
        }
        return value
    }

    private mutating func skipDigits() {
        while let byte = current, byte.isDigit { index += 1 }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
