import Foundation
import Testing
@testable import VigilCore

/// The restorer reads whatever the changelog holds: a version-2 decoder must throw on bad input, never crash.
@Suite("Patient state codec, binary versions: truncated, corrupted and hostile records")
struct PatientStateHostileInputTests {
    static func decode(_ bytes: [UInt8]) throws -> PatientState? {
        try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") }
    }

    static func code(_ bytes: [UInt8]) -> PatientStateCodecError.Code? {
        do {
            _ = try decode(bytes)
            return nil
        } catch {
            return (error as? PatientStateCodecError)?.code
        }
    }

    /// An empty state: `02` history `00 00 00 30` (no records, 24 h cadence), no processed events or cooldowns
    /// `00 00`, timers from byte 7 (flags, event type, missed level, two empty lists), byte 12 `isDischarged`, dates.
    static let empty = PatientStateCodec.encode(PatientState())

    @Test("every truncation of a record throws")
    func truncations() throws {
        let bytes = PatientStateCodec.encode(PatientStateBinaryCodecTests.everyField())
        for length in 0..<bytes.count {
            #expect(throws: PatientStateCodecError.self, "prefix of \(length) bytes") { try Self.decode(Array(bytes[..<length])) }
        }
        #expect(try Self.decode(bytes) != nil)
        #expect(Self.code(bytes + [0]) == .trailingBytes)
    }

    @Test("a corrupted byte anywhere throws or decodes, and never crashes")
    func corruptedBytes() {
        let bytes = PatientStateCodec.encode(PatientStateBinaryCodecTests.everyField())
        var thrown = 0
        for index in 1..<bytes.count {
            let replacements = Set([0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF, bytes[index] ^ 0x01, bytes[index] ^ 0x80])
            for replacement in replacements where replacement != bytes[index] {
                var corrupted = bytes
                corrupted[index] = replacement
                guard let state = try? Self.decode(corrupted) else {
                    thrown += 1
                    continue
                }
                // What decodes is a state like any other: it encodes and decodes again.
                #expect((try? Self.decode(PatientStateCodec.encode(state))) != nil)
            }
        }
        #expect(thrown > bytes.count)
    }

    @Test("random corruption of several bytes never crashes")
    func randomCorruption() {
        let bytes = PatientStateCodec.encode(PatientStateBinaryCodecTests.everyField())
        var random = SplitMix64(seed: 2026)
        for _ in 0..<5_000 {
            var corrupted = bytes
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                corrupted[Int.random(in: 1..<corrupted.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) { corrupted.removeLast(Int.random(in: 0..<corrupted.count / 2, using: &random)) }
            _ = try? Self.decode(corrupted)
        }
    }

    @Test("varints longer than 10 bytes or beyond 64 bits throw")
    func longVarints() {
        #expect(Self.code([2] + Array(repeating: 0x80, count: 10) + [0]) == .malformed)
        #expect(Self.code([2] + Array(repeating: 0xFF, count: 9) + [0x02]) == .malformed)
        #expect(Self.code([2] + Array(repeating: 0xFF, count: 9) + [0x01]) == .malformed)  // a count of 2^64 - 1
    }

    @Test("a count larger than the bytes left throws before anything is allocated")
    func countsBeyondTheRecord() {
        #expect(Self.code([2, 0x05, 0, 0, 0]) == .malformed)
        #expect(Self.code([2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0]) == .malformed)
    }

    @Test("strings: invalid UTF-8, a length beyond the record and a back-reference to nothing throw")
    func hostileStrings() {
        #expect(Self.code([2, 1, 4, 0xC3, 0x28]) == .invalidUTF8)
        #expect(Self.code([2, 1, 6, 0xED, 0xA0, 0x80]) == .invalidUTF8)  // a UTF-16 surrogate
        #expect(Self.code([2, 1, 0x20, 0x41]) == .truncated)
        #expect(Self.code([2, 1, 1]) == .malformed)
    }

    @Test("version 3: a record that ends inside a processed event's fingerprint throws")
    func truncatedFingerprint() {
        // No cravings, check-ins or appointments, cadence 24 h, one processed event with 3 of its 16 bytes.
        #expect(Self.code([3, 0, 0, 0, 0x30, 1, 1, 2, 3]) == .truncated)
        #expect(Self.code([3, 0, 0, 0, 0x30, 1] + Array(repeating: 7, count: 16)) == .truncated)
    }

    @Test("unknown tags, codes and flags throw")
    func unknownTags() {
        for (index, value): (Int, UInt8) in [(4, 3), (7, 0x20), (8, 9), (12, 2)] {
            var bytes = Self.empty
            bytes[index] = value
            #expect(Self.code(bytes) == .malformed, "byte \(index) = \(value)")
        }
    }

    @Test("negative timer levels throw: they index tables")
    func negativeLevels() {
        var state = PatientState()
        state.timers.missedLevel = -1
        #expect(Self.code(PatientStateCodec.encode(state)) == .malformed)
        state = PatientStateBinaryCodecTests.everyField()
        state.timers.escalations[0].level = -1
        #expect(Self.code(PatientStateCodec.encode(state)) == .malformed)
    }

    @Test("dates the engine could not format or add to are refused: not finite, or millennia away")
    func datesOutOfRange() {
        for seconds in [Double.nan, .infinity, -1e300, 1e15] {
            var state = PatientState()
            state.latestEventTime = Date(timeIntervalSinceReferenceDate: seconds)
            #expect(Self.code(PatientStateCodec.encode(state)) == .malformed, "\(seconds)")
            state = PatientState()
            state.timers.lapseDeadline = Date(timeIntervalSinceReferenceDate: seconds)
            #expect(Self.code(PatientStateCodec.encode(state)) == .malformed, "\(seconds)")
        }
        var state = PatientState()
        state.latestEventTime = .distantFuture
        state.nextPruneAt = .distantPast
        #expect(Self.code(PatientStateCodec.encode(state)) == nil)
    }
}
