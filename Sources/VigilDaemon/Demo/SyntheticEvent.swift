import Foundation
import VigilCore

/// Builds structured-mode CloudEvents as an integrator would publish them; for the demo and the benchmark.
public struct SyntheticEvent: Sendable {
    public var id: String
    public var type: EventType
    public var time: Date
    public var patientId: String
    /// The `data` members besides `patientId`.
    public var fields: [(String, FieldValue)]

    public enum FieldValue: Sendable {
        case number(Double)
        case bool(Bool)
        case string(String)
        case strings([String])
        case object([(String, FieldValue)])
    }

    public init(id: String, type: EventType, time: Date, patientId: String, fields: [(String, FieldValue)]) {
        self.id = id
        self.type = type
        self.time = time
        self.patientId = patientId
        self.fields = fields
    }

    public static let source = "app://vigil-synthetic"

    public func json() -> [UInt8] {
        var json = JSONWriter(capacity: 320)
        json.beginObject()
        json.field("specversion", "1.0")
        json.field("id", id)
        json.field("source", Self.source)
        json.field("type", type.rawValue)
        json.field("time", RFC3339.format(time))
        json.field("datacontenttype", "application/json")
        json.key("data")
        json.beginObject()
        json.field("patientId", patientId)
        Self.write(fields, to: &json)
        json.endObject()
        json.endObject()
        return json.bytes
    }

    private static func write(_ fields: [(String, FieldValue)], to json: inout JSONWriter) {
        for (name, value) in fields {
            json.key(name)
            switch value {
            case .number(let number): json.number(number)
            case .bool(let flag): json.bool(flag)
            case .string(let text): json.string(text)
            case .strings(let texts):
                json.beginArray()
                texts.forEach { json.string($0) }
                json.endArray()
            case .object(let members):
                json.beginObject()
                write(members, to: &json)
                json.endObject()
            }
        }
    }
}
