import Foundation

/// The value of a state-changelog record: one patient's whole state as JSON, inside a versioned envelope so that
/// a later release can read (or knowingly discard) what an earlier one wrote. A tombstone (null value) is a
/// dropped patient.
public enum PatientStateCodec {
    public static let formatVersion = 1

    private struct Envelope: Codable {
        var v: Int
        /// Nil when `v` is a version this release does not know: its layout is not read at all.
        var state: PatientState?

        init(state: PatientState) {
            v = PatientStateCodec.formatVersion
            self.state = state
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            v = try container.decode(Int.self, forKey: .v)
            state = v == PatientStateCodec.formatVersion ? try container.decode(PatientState.self, forKey: .state) : nil
        }
    }

    public static func encode(_ state: PatientState) -> [UInt8] {
        // Hand-written for speed (see `PatientStateWriter`); the same JSON as `JSONEncoder` would write.
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.field("v", formatVersion)
        json.key("state")
        PatientStateWriter.write(state, to: &json)
        json.endObject()
        return json.bytes
    }

    /// The same record through Foundation's `JSONEncoder` (the reference the tests compare the writer with).
    static func encodeWithFoundation(_ state: PatientState) throws -> [UInt8] {
        Array(try JSONEncoder().encode(Envelope(state: state)))
    }

    /// Nil for a record of another format version (written by a newer release): the patient starts afresh.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> PatientState? {
        try JSONDecoder().decode(Envelope.self, from: Data(bytes)).state
    }
}
