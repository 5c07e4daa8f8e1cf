import Foundation

/// Version 1 of the changelog record: `{"v":1,"state":{...}}`, the state's synthesized `Codable` JSON. Still read,
/// so that a release writing the binary versions restores what the releases before them wrote (a frozen record in
/// the tests holds every field); no longer written.
extension PatientStateCodec {
    static let jsonVersion = 1

    private struct Envelope: Decodable {
        var v: Int
        /// Nil when `v` is a version this release does not know: its layout is not read at all.
        var state: PatientState?

        private enum CodingKeys: String, CodingKey { case v, state }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            v = try container.decode(Int.self, forKey: .v)
            state = v == PatientStateCodec.jsonVersion ? try container.decode(PatientState.self, forKey: .state) : nil
        }
    }

    /// Nil for a JSON record of another version.
    static func decodeVersion1(_ bytes: UnsafeRawBufferPointer) throws -> PatientState? {
        try JSONDecoder().decode(Envelope.self, from: Data(bytes)).state
    }
}
