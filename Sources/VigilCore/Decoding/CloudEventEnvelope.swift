import Foundation

/// The CloudEvents context attributes Vigil requires, read from either content mode.
struct CloudEventEnvelope {
    var id: String
    var source: String
    var type: String
    var time: Date
    var data: JSONValue

    static let structuredContentType = "application/cloudevents+json"

    static func read<Message: InboundMessage>(_ message: Message, value: UnsafeRawBufferPointer) throws(DecodeFailure) -> Self {
        let contentType = message.header("content-type")
        if let contentType, UTF8Text.hasPrefix(contentType, ignoringCase: "application/cloudevents+json") {
            return try structured(value)
        }
        if message.header("ce_specversion") != nil {
            return try binary(message, value: value, contentTypeIsJSON: contentType.map { UTF8Text.hasPrefix($0, ignoringCase: "application/json") })
        }
        if contentType == nil {
            // No content-type: a JSON object with `specversion` is a structured event.
            return try structured(value)
        }
        throw DecodeFailure(.notCloudEvent, "content-type is neither \(structuredContentType) nor binary mode (no ce_specversion header)")
    }

    private static func parseJSON(_ value: UnsafeRawBufferPointer, what: String) throws(DecodeFailure) -> JSONValue {
        do {
            return try JSONParser.parse(value)
        } catch {
            throw DecodeFailure(.malformedJSON, "\(what) is not valid JSON: \(error.reason) at byte \(error.offset)")
        }
    }

    /// Read member by member, keeping only what the checks need (a repeated member's last value counts, as in
    /// `JSONValue`): the envelope of every event, so no tree of it is built and no string made of its time.
    private static func structured(_ value: UnsafeRawBufferPointer) throws(DecodeFailure) -> Self {
        var attributes = StructuredAttributes()
        let isObject: Void?
        do {
            isObject = try JSONParser.forEachMember(ofObject: value) { name, parser throws(JSONParser.Failure) in
                try attributes.read(name, from: &parser)
            }
        } catch {
            throw DecodeFailure(.malformedJSON, "value is not valid JSON: \(error.reason) at byte \(error.offset)")
        }
        guard isObject != nil else {
            _ = try parseJSON(value, what: "value")
            throw DecodeFailure(.notCloudEvent, "value is not a JSON object")
        }
        if let attribute = attributes.attributeWithControlCharacter {
            throw DecodeFailure(.notCloudEvent, controlCharacterDetail(attribute))
        }
        guard let isVersion1 = attributes.specversionIs1 else {
            throw DecodeFailure(.notCloudEvent, "specversion: missing")
        }
        guard isVersion1 else {
            throw DecodeFailure(.unsupportedSpecVersion, "specversion: only 1.0 is supported")
        }
        if attributes.dataContentTypeIsJSON == false {
            throw DecodeFailure(.schemaViolation, "datacontenttype: must be application/json")
        }
        return try CloudEventEnvelope(
            id: requiredAttribute("id", attributes.id),
            source: requiredAttribute("source", attributes.source),
            type: requiredAttribute("type", attributes.type),
            time: timeAttribute(attributes.time),
            data: attributes.data ?? .null
        )
    }

    private static func binary<Message: InboundMessage>(
        _ message: Message, value: UnsafeRawBufferPointer, contentTypeIsJSON: Bool?
    ) throws(DecodeFailure) -> Self {
        func header(_ name: String) -> JSONValue? {
            guard let bytes = message.header(name) else { return nil }
            return bytes.utf8String.map(JSONValue.string) ?? .null
        }
        for name in ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject"] {
            if let bytes = message.header(name), UTF8Text.containsControlCharacter(bytes) {
                throw DecodeFailure(.notCloudEvent, controlCharacterDetail(name))
            }
        }
        guard case .string("1.0") = header("ce_specversion") else {
            throw DecodeFailure(.unsupportedSpecVersion, "ce_specversion: only 1.0 is supported")
        }
        let id = try requiredAttribute("ce_id", header("ce_id"))
        let source = try requiredAttribute("ce_source", header("ce_source"))
        let type = try requiredAttribute("ce_type", header("ce_type"))
        let time = try timeAttribute(header("ce_time"), name: "ce_time")
        if contentTypeIsJSON == false {
            throw DecodeFailure(.schemaViolation, "content-type: binary-mode data must be application/json")
        }
        return CloudEventEnvelope(id: id, source: source, type: type, time: time, data: try parseJSON(value, what: "data"))
    }

    /// Names the attribute, never its value.
    private static func controlCharacterDetail(_ attribute: String) -> String {
        "\(attribute): contains a control character, which CloudEvents forbids in string attributes"
    }

    private static func requiredAttribute(_ name: String, _ value: JSONValue?) throws(DecodeFailure) -> String {
        guard let value else { throw DecodeFailure(.notCloudEvent, "\(name): missing") }
        guard case .string(let text) = value, !text.isEmpty else {
            throw DecodeFailure(.notCloudEvent, "\(name): must be a non-empty string")
        }
        return text
    }

    private static func timeAttribute(_ value: JSONValue?, name: String) throws(DecodeFailure) -> Date {
        let time = value.map { value -> Date? in
            guard case .string(let text) = value else { return nil }
            return RFC3339.parse(text)
        }
        return try timeAttribute(time, name: name)
    }

    /// `time` as read: nil when absent, `.some(nil)` when present but not an RFC 3339 date-time.
    private static func timeAttribute(_ time: Date??, name: String = "time") throws(DecodeFailure) -> Date {
        guard let time else { throw DecodeFailure(.schemaViolation, "\(name): missing; the event time is required") }
        guard let time else { throw DecodeFailure(.schemaViolation, "\(name): must be an RFC 3339 date-time") }
        return time
    }
}
