import Foundation

/// What a structured-mode event's checks need from its members, read one by one (`CloudEventEnvelope.structured`).
/// A repeated member overwrites the earlier one, as `JSONValue`'s subscript reads the last.
struct StructuredAttributes {
    /// nil: absent; else whether it is the string "1.0".
    var specversionIs1: Bool?
    /// nil: absent; else whether it is a string naming JSON.
    var dataContentTypeIsJSON: Bool?
    var id: JSONValue?
    var source: JSONValue?
    var type: JSONValue?
    /// nil: absent; `.some(nil)`: present but not an RFC 3339 date-time.
    var time: Date??
    var data: JSONValue?
    var subject: JSONValue?
    /// Attributes whose (last) string value holds a control character, which CloudEvents forbids.
    private var controlCharacterAttributes: Set<String> = []

    /// One of them, named in a fixed order so that the detail does not depend on member order.
    var attributeWithControlCharacter: String? {
        guard !controlCharacterAttributes.isEmpty else { return nil }
        return ["specversion", "id", "source", "type", "time", "datacontenttype", "subject"].first(where: controlCharacterAttributes.contains)
    }

    mutating func read(_ name: UnsafeRawBufferPointer, from parser: inout JSONParser) throws(JSONParser.Failure) {
        var control = false
        func checked(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            if UTF8Text.containsControlCharacter(bytes) { control = true }
            return bytes
        }
        let attribute = Name(name)
        switch attribute {
        case .specversion?:
            specversionIs1 = try Self.string(&parser, otherwise: false) { checked($0).count == 3 && Name.matches($0, "1.0") }
        case .datacontenttype?:
            dataContentTypeIsJSON = try Self.string(&parser, otherwise: false) {
                UTF8Text.hasPrefix(checked($0), ignoringCase: "application/json")
            }
        case .time?:
            time = .some(try Self.string(&parser, otherwise: nil) { RFC3339.parse(checked($0)) })
        case .id?: id = try parser.readValue()
        case .source?: source = try parser.readValue()
        case .type?: type = try parser.readValue()
        case .subject?: subject = try parser.readValue()
        case .data?: data = try parser.readValue()
        case nil: _ = try parser.readValue()
        }
        guard let attribute, attribute != .data else { return }
        switch attribute {
        case .id: control = id.map(Self.hasControlCharacter) ?? false
        case .source: control = source.map(Self.hasControlCharacter) ?? false
        case .type: control = type.map(Self.hasControlCharacter) ?? false
        case .subject: control = subject.map(Self.hasControlCharacter) ?? false
        default: break
        }
        // A repeated member's last value counts, for this check as for the others.
        if control { controlCharacterAttributes.insert(attribute.name) } else if !controlCharacterAttributes.isEmpty { controlCharacterAttributes.remove(attribute.name) }
    }

    private static func hasControlCharacter(_ value: JSONValue) -> Bool {
        guard case .string(let text) = value else { return false }
        return UTF8Text.containsControlCharacter(text)
    }

    /// `read` of a string value; `otherwise` for any other value, which is read (and so validated) all the same.
    private static func string<Value>(
        _ parser: inout JSONParser, otherwise: Value, _ read: (UnsafeRawBufferPointer) -> Value
    ) throws(JSONParser.Failure) -> Value {
        if let value = try parser.readString(read) { return value }
        _ = try parser.readValue()
        return otherwise
    }

    private enum Name: String {
        case specversion, datacontenttype, time, id, source, type, subject, data

        var name: String { rawValue }

        init?(_ bytes: UnsafeRawBufferPointer) {
            switch bytes.count {
            case 2 where Self.matches(bytes, "id"): self = .id
            case 7 where Self.matches(bytes, "subject"): self = .subject
            case 4 where Self.matches(bytes, "time"): self = .time
            case 4 where Self.matches(bytes, "type"): self = .type
            case 4 where Self.matches(bytes, "data"): self = .data
            case 6 where Self.matches(bytes, "source"): self = .source
            case 11 where Self.matches(bytes, "specversion"): self = .specversion
            case 15 where Self.matches(bytes, "datacontenttype"): self = .datacontenttype
            default: return nil
            }
        }

        /// Byte comparison of equal lengths (a generic `elementsEqual` with a `String.UTF8View` showed in profiles).
        static func matches(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
            memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
        }
    }
}
