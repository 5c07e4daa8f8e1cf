import Foundation
import Testing
import VigilCore

@Suite("Patient state codec: what the changelog holds")
struct PatientStateCodecTests {
    let engine = RuleEngine(rules: [StubRule(id: "spike", minimumScore: 8, severity: .critical, cooldown: 86_400)])

    func roundTrip(_ state: PatientState) throws -> PatientState {
        let bytes = PatientStateCodec.encode(state)
        return try #require(try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") })
    }

    @Test("a restored state keeps history, cooldowns, processed ids and timers")
    func restoredStateBehavesTheSame() throws {
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: Fixtures.now)
        #expect(engine.process(craving(9, at: 1, id: "spike-1"), state: &state, detectedAt: Fixtures.now).alert != nil)
        var restored = try roundTrip(state)
        #expect(restored == state)
        #expect(restored.history.cravings == state.history.cravings)
        #expect(restored.history.checkins == state.history.checkins)
        #expect(restored.cooldowns == state.cooldowns)
        #expect(restored.timers == state.timers)
        // The cooldown holds across the round trip, and the processed id is still a duplicate.
        let inside = engine.process(craving(9, at: 2, id: "spike-2"), state: &restored, detectedAt: Fixtures.now)
        #expect(inside.alert == nil)
        #expect(inside.suppressed.map(\.reason) == [.cooldown])
        #expect(engine.process(craving(9, at: 1, id: "spike-1"), state: &restored, detectedAt: Fixtures.now).isDuplicate)
    }

    @Test("a record of another format version is not read as state")
    func otherVersion() throws {
        let bytes = Array(#"{"v":99,"state":{}}"#.utf8)
        #expect(try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") } == nil)
    }

    @Test("a binary record of a later version is not read as state", arguments: [UInt8(5), 6, 0x1F])
    func laterBinaryVersion(version: UInt8) throws {
        var bytes = PatientStateCodec.encode(PatientState())
        bytes[0] = version
        #expect(try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") } == nil)
    }

    @Test("a record starts with its format version")
    func versionByte() {
        #expect(PatientStateCodec.encode(PatientState()).first == UInt8(PatientStateCodec.formatVersion))
        #expect(PatientStateCodec.formatVersion == 4)
    }

    @Test("bytes that are not a state record throw", arguments: ["not json", "", "\u{0}", "\u{1}\u{2}"])
    func garbage(text: String) {
        let bytes = Array(text.utf8)
        #expect(throws: (any Error).self) { try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") } }
    }
}
