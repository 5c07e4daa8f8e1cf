import Foundation
import PropertyBased
import Testing
@testable import VigilCore

@Suite("Properties: the state codec")
struct StateCodecProperties {
    static let states = Gen.uint64().array(of: 0...40)

    @Test("decoding an encoded state gives the same state, and encoding it again the same bytes")
    func roundTrip() async {
        await propertyCheck(count: 500, input: Self.states) { seeds in
            let state = RandomState.state(from: seeds)
            let bytes = PatientStateCodec.encode(state)
            do {
                let decoded = try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") }
                #expect(decoded == state)
                #expect(decoded.map(PatientStateCodec.encode) == bytes)
            } catch {
                Issue.record("a state the codec wrote did not decode: \(error)")
            }
        }
    }

    @Test("any truncation of an encoded state is refused with a codec error, never taken for a different state")
    func truncation() async {
        await propertyCheck(count: 200, input: Self.states, Gen.double(in: 0..<1)) { seeds, fraction in
            let bytes = PatientStateCodec.encode(RandomState.state(from: seeds))
            let cut = Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
            do {
                _ = try cut.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") }
                Issue.record("a \(cut.count)-byte prefix of a \(bytes.count)-byte record decoded")
            } catch {
                #expect(error is PatientStateCodecError)
            }
        }
    }
}
