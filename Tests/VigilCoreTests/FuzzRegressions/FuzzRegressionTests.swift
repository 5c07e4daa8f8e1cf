import Foundation
import Testing
@testable import VigilCore

/// Every finding of `scripts/fuzz`, as the input that found it (or its essence) and what must hold instead.
@Suite("Fuzzing findings, kept as regression tests")
struct FuzzRegressionTests {
    /// state, 2026-12-02: a version-1 record whose kept alert named another patient (`"patientId":"P-0"` under the
    /// key `P-1`) restored that id, so an escalation would have been published under the other patient's id, and the
    /// state did not survive a re-encoding. Kept alerts now take the record's key, as in the binary versions.
    @Test("state: a version-1 record's kept alerts take the record's key as patient id")
    func version1AlertsTakeTheKey() throws {
        let text = String(decoding: FrozenStateRecords.version1, as: UTF8.self)
        let foreign = Array(text.replacingOccurrences(of: #""patientId":"P-1""#, with: #""patientId":"P-0""#).utf8)
        #expect(foreign != FrozenStateRecords.version1)
        var state = try #require(try foreign.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") })
        let kept = state.timers.awaitingCheckin + state.timers.escalations.map(\.alert)
        #expect(!kept.isEmpty && kept.allSatisfy { $0.patientId == "P-1" })
        state.partition = nil
        let again = PatientStateCodec.encode(state).withUnsafeBytes { try? PatientStateCodec.decode($0, patientId: "P-1") }
        #expect(again == state)
    }

    /// state, 2026-12-02: a version-1 record with a time 27,000 years ahead (`"time":817387200200.05`) decoded, but the
    /// binary record the next checkpoint wrote for it could not be read back, so the patient would be lost at the
    /// next restore. Such a record is refused at once.
    @Test("state: a version-1 record that no binary version could hold is refused, not restored")
    func version1OutOfRangeIsRefused() {
        let text = String(decoding: FrozenStateRecords.version1, as: UTF8.self)
        let far = Array(text.replacingOccurrences(of: #""time":817387200.00025"#, with: #""time":817387200200.05"#).utf8)
        #expect(far != FrozenStateRecords.version1)
        #expect(throws: PatientStateCodecError.self) { try far.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") } }
    }

    /// rfc3339, 2026-12-02: "1969-04-12T23:20:50.5611Z" formatted as ".561Z", which parsed to a binary fraction a
    /// hair below .561 and formatted as ".560Z": formatting a formatted time changed it.
    /// rfc3339, 2026-12-05: "0880-01-01T00:00:01.38+23:59" formatted as ".379Z": far from 1970 a `Double` of seconds
    /// steps by more than the microsecond that formatting allowed for.
    @Test("rfc3339: a formatted time parses and formats to the same text", arguments: [
        "1969-04-12T23:20:50.5611Z", "1969-12-31T23:59:59.999Z", "2026-11-26T11:00:00.560Z", "1900-01-01T00:00:00.001Z", "2026-03-02T08:00:00.3Z",
        "0880-01-01T00:00:01.38+23:59", "0000-01-01T00:00:00.001Z", "0001-03-01T12:34:56.789-23:59", "9999-12-31T23:59:59.999Z",
    ])
    func formattingIsStable(text: String) throws {
        if text.hasSuffix("Z"), text.count == 24 { #expect(RFC3339.format(try #require(RFC3339.parse(text))) == text, "a millisecond time formats as written") }
        let formatted = RFC3339.format(try #require(RFC3339.parse(text)))
        #expect(RFC3339.parse(formatted).map(RFC3339.format) == formatted)
    }
}
