import Foundation

/// Version 1 of the changelog record: `{"v":1,"state":{...}}`, the state's synthesized `Codable` JSON. Still read,
/// so that a release writing version 2 restores what the previous one wrote; still written by the tests that check
/// that upgrade.
extension PatientStateCodec {
    static let jsonVersion = 1

    private struct Envelope: Codable {
        var v: Int
        /// Nil when `v` is a version this release does not know: its layout is not read at all.
        var state: PatientState?

        init(state: PatientState) {
            v = PatientStateCodec.jsonVersion
            self.state = state
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            v = try container.decode(Int.self, forKey: .v)
            state = v == PatientStateCodec.jsonVersion ? try container.decode(PatientState.self, forKey: .state) : nil
        }
    }

    /// Hand-written for speed (see `PatientStateWriter`); the same JSON as `JSONEncoder` would write.
    static func encodeVersion1(_ state: PatientState) -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.field("v", jsonVersion)
        json.key("state")
        PatientStateWriter.write(state, to: &json)
        json.endObject()
        return json.bytes
    }

    /// The same record through Foundation's `JSONEncoder` (the reference the tests compare the writer with).
    static func encodeWithFoundation(_ state: PatientState) throws -> [UInt8] {
        Array(try JSONEncoder().encode(Envelope(state: state)))
    }

    /// Nil for a JSON record of another version.
    static func decodeVersion1(_ bytes: UnsafeRawBufferPointer) throws -> PatientState? {
        try JSONDecoder().decode(Envelope.self, from: Data(bytes)).state
    }
}
