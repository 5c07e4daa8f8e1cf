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

    /// Nil for a JSON record of another version. The kept alerts take the record's key as their patient id, as in
    /// the binary versions, which do not store it: a record whose alerts named another patient (found by fuzzing)
    /// would otherwise escalate an alert under that other patient's id.
    static func decodeVersion1(_ bytes: UnsafeRawBufferPointer, patientId: String) throws -> PatientState? {
        guard var state = try JSONDecoder().decode(Envelope.self, from: Data(bytes)).state else { return nil }
        for index in state.timers.awaitingCheckin.indices { state.timers.awaitingCheckin[index].patientId = patientId }
        for index in state.timers.escalations.indices { state.timers.escalations[index].alert.patientId = patientId }
        // JSON takes any number as a date; the binary versions bound them. A record that the next checkpoint would
        // write in a form no release can read back (found by fuzzing: a time 27,000 years ahead) is refused now.
        let rewritten = encode(state)
        let readBack = rewritten.withUnsafeBytes { bytes -> PatientStateCodecError? in
            var reader = BinaryStateReader(bytes, offset: 1)
            do throws(PatientStateCodecError) {
                _ = try reader.state(patientId: patientId, version: formatVersion)
                return nil
            } catch {
                return error
            }
        }
        if let readBack {
            throw PatientStateCodecError(.malformed, "the version-1 record holds a value the binary versions cannot hold (\(readBack.message))")
        }
        return state
    }
}
