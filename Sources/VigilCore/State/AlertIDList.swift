/// Alert ids a patient's state keeps so that an acknowledgement naming any of them finds its group or escalation
/// (`AlertGroup.memberIds`, `PatientTimers.Escalation.alertIds`), each held as its 128-bit value: 16 bytes, where
/// the 32 hexadecimal digits as a `String` took 16 bytes plus an 80-byte heap object. A group holds up to 32, so a
/// patient in a long episode held about 3 KB of ids (issue 7's memory target for patients with a long history).
///
/// Every alert id Vigil makes is 32 lower-case hexadecimal digits (`AlertID`), which parse to their value and
/// format back unchanged. Any other text (an old or hand-made record) is kept as its FNV-1a hash: membership still
/// works, since an acknowledgement's id is converted the same way, but the text comes back as the hash's digits.
public struct AlertIDList: Sendable, Equatable {
    private var values: [UInt128]

    public init(_ ids: [String] = []) {
        values = ids.map(Self.value(of:))
    }

    public var count: Int { values.count }

    /// The ids as text, oldest first, as the state record stores them.
    public var ids: [String] { values.map { FNV1a128.hexadecimal($0) } }

    /// Each id's text as `ids` gives it, oldest first, in a buffer valid during the call (no string made: the state
    /// record writes every held id at each checkpoint).
    func forEachID(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
            for value in values {
                FNV1a128.writeHexadecimal(value, to: digits)
                body(UnsafeBufferPointer(rebasing: digits[..<32]))
            }
        }
    }

    public func contains(_ id: String) -> Bool {
        values.contains(Self.value(of: id))
    }

    /// Appends `id` unless held already; at `limit`, first drops the oldest ids after the first `kept`.
    mutating func remember(_ id: String, limit: Int, keepingFirst kept: Int) {
        remember(Self.value(of: id), limit: limit, keepingFirst: kept)
    }

    /// Remembers each of `other`'s ids in turn, as `remember(_:limit:keepingFirst:)`.
    mutating func remember(contentsOf other: AlertIDList, limit: Int, keepingFirst kept: Int) {
        for value in other.values { remember(value, limit: limit, keepingFirst: kept) }
    }

    private mutating func remember(_ value: UInt128, limit: Int, keepingFirst kept: Int) {
        guard !values.contains(value) else { return }
        while values.count >= limit, values.count > kept { values.remove(at: kept) }
        values.append(value)
    }

    /// Whether two ids name the same alert as the state keeps them: the same text, or (an id not Vigil's, which
    /// the state gives back as its hash's digits) the same value.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        lhs == rhs || value(of: lhs) == value(of: rhs)
    }

    /// The id's value: its digits when it is 32 lower-case hexadecimal digits, otherwise the hash of its text.
    static func value(of id: String) -> UInt128 {
        if let parsed = parseHexadecimal(id.utf8) { return parsed }
        var hash = FNV1a128()
        hash.add(id)
        return hash.value
    }

    private static func parseHexadecimal<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt128? {
        guard bytes.count == 32 else { return nil }
        var value: UInt128 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt128(digit)
        }
        return value
    }
}

extension AlertIDList: ExpressibleByArrayLiteral {
    public init(arrayLiteral ids: String...) {
        self.init(ids)
    }
}

extension AlertIDList: Codable {
    /// Version-1 JSON state records hold the ids as a list of strings.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ids)
    }
}
