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
        guard let attribute = Name(name) else {
            _ = try parser.readValue()
            return
        }
        // Each read hands back whether the value holds a control character (no flag captured by the closures: a
        // captured variable cost a heap box per member).
        let control: Bool
        switch attribute {
        case .specversion:
            let read = try Self.string(&parser) { ($0.count == 3 && Name.matches($0, "1.0"), UTF8Text.containsControlCharacter($0)) }
            specversionIs1 = read?.value ?? false
            control = read?.control ?? false
        case .datacontenttype:
            let read = try Self.string(&parser) { (UTF8Text.hasPrefix($0, ignoringCase: "application/json"), UTF8Text.containsControlCharacter($0)) }
            dataContentTypeIsJSON = read?.value ?? false
            control = read?.control ?? false
        case .time:
            let read = try Self.string(&parser) { (RFC3339.parse($0), UTF8Text.containsControlCharacter($0)) }
            time = .some(read?.value ?? nil)
            control = read?.control ?? false
        case .id: control = try Self.readValue(&parser, into: &id)
        case .source: control = try Self.readValue(&parser, into: &source)
        case .type: control = try Self.readValue(&parser, into: &type)
        case .subject: control = try Self.readValue(&parser, into: &subject)
        case .data:
            data = try parser.readValue()
            return
        }
        // A repeated member's last value counts, for this check as for the others.
        if control { controlCharacterAttributes.insert(attribute.name) } else if !controlCharacterAttributes.isEmpty { controlCharacterAttributes.remove(attribute.name) }
    }

    /// Reads the next value into `attribute`; returns whether it is a string holding a control character.
    private static func readValue(_ parser: inout JSONParser, into attribute: inout JSONValue?) throws(JSONParser.Failure) -> Bool {
        let value = try parser.readValue()
        attribute = value
        guard case .string(let text) = value else { return false }
        return UTF8Text.containsControlCharacter(text)
    }

    /// `read` of a string value, with whether it holds a control character; nil for any other value, which is read
    /// (and so validated) all the same.
    private static func string<Value>(
        _ parser: inout JSONParser, _ read: (UnsafeRawBufferPointer) -> (Value, Bool)
    ) throws(JSONParser.Failure) -> (value: Value, control: Bool)? {
        if let (value, control) = try parser.readString(read) { return (value, control) }
        _ = try parser.readValue()
        return nil
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
