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

    mutating func read(_ name: UnsafeRawBufferPointer, from parser: inout JSONParser) throws(JSONParser.Failure) {
        switch Name(name) {
        case .specversion:
            specversionIs1 = try Self.string(&parser, otherwise: false) { $0.count == 3 && Name.matches($0, "1.0") }
        case .datacontenttype:
            dataContentTypeIsJSON = try Self.string(&parser, otherwise: false) {
                UTF8Text.hasPrefix($0, ignoringCase: "application/json")
            }
        case .time:
            time = .some(try Self.string(&parser, otherwise: nil) { RFC3339.parse($0) })
        case .id: id = try parser.readValue()
        case .source: source = try parser.readValue()
        case .type: type = try parser.readValue()
        case .data: data = try parser.readValue()
        case nil: _ = try parser.readValue()
        }
    }

    /// `read` of a string value; `otherwise` for any other value, which is read (and so validated) all the same.
    private static func string<Value>(
        _ parser: inout JSONParser, otherwise: Value, _ read: (UnsafeRawBufferPointer) -> Value
    ) throws(JSONParser.Failure) -> Value {
        if let value = try parser.readString(read) { return value }
        _ = try parser.readValue()
        return otherwise
    }

    private enum Name {
        case specversion, datacontenttype, time, id, source, type, data

        init?(_ bytes: UnsafeRawBufferPointer) {
            switch bytes.count {
            case 2 where Self.matches(bytes, "id"): self = .id
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
