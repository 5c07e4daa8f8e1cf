import Foundation
import Testing
@testable import VigilCore

@Suite("Patient state codec, versions 2 to 4: compact binary records")
struct PatientStateBinaryCodecTests {
    static func decode(_ bytes: [UInt8], patientId: String = "P-1") throws -> PatientState? {
        try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: patientId) }
    }

    /// A state with every field and every optional set, and every kind of evidence value.
    static func fullState() -> PatientState {
        let time = Fixtures.now
        var state = PatientState()
        state.history.record(PatientEvent(id: "c-1", source: "app", time: time, patientId: "P-1", payload: .craving(Craving(score: 7.5, substance: "alcohol"))))
        state.history.record(PatientEvent(id: "c-2", source: "app", time: time.addingTimeInterval(0.125), patientId: "P-1", payload: .craving(Craving(score: 3))))
        state.history.record(PatientEvent(id: "k-1", source: "app", time: time, patientId: "P-1", payload: .checkin(Checkin(
            mood: 2, stress: 8, sleepHours: 4.25, substanceUse: .init(used: true, substances: ["alcohol", "ketamine"]), cueExposure: true,
            withdrawal: .init(scale: .cows, score: 14, complicated: true), phq9Item9: 1, helpRequested: false))))
        state.history.record(PatientEvent(id: "a-1", source: "ehr", time: time, patientId: "P-1", payload: .appointment(Appointment(status: .missed))))
        state.history.checkinEveryHours = 12.5
        state.processedEvents.insert(.init(source: "app", id: "c-1"), time: time)
        state.processedEvents.insert(.init(source: "ehr \"quoted\"", id: "a-1\n"), time: time.addingTimeInterval(-1))
        state.cooldowns = ["craving-spike": .init(until: time.addingTimeInterval(86_400), severity: .high)]
        state.isDischarged = false
        state.latestEventTime = time
        state.partition = 5
        state.nextPruneAt = time.addingTimeInterval(3600)
        let evidence: [Evidence] = [
            Evidence(eventId: "c-1", type: .craving, time: time, field: "score", value: .number(7.5)),
            Evidence(eventId: "k-1", type: .checkin, time: time, field: "cueExposure", value: .bool(true)),
            Evidence(eventId: "k-1", type: .checkin, time: time, field: "substance", value: .string("alcohol")),
            Evidence(eventId: "k-1", type: .checkin, time: time, field: "substances", value: .strings(["alcohol", "ketamine"])),
        ]
        var alert = Alert(
            alertId: "0123", patientId: "P-1", rule: "substance-use", ruleVersion: 2, severity: .critical, status: .escalated,
            summary: "Reported use", evidence: evidence, alsoMatched: ["craving-spike"], triggeredAt: time, detectedAt: time.addingTimeInterval(1.5),
            recommendedAction: "Contact the patient within 15 minutes")
        alert.escalationLevel = 1
        alert.originalAlertId = "0122"
        state.timers.checkinClockStart = time
        state.timers.checkinClockEventId = "k-1"
        state.timers.checkinClockEventType = .enrollment
        state.timers.missedLevel = 1
        state.timers.lapseDeadline = time.addingTimeInterval(86_400)
        state.timers.lapseAlertId = "0123"
        state.timers.lapseEvidence = evidence[2]
        state.timers.awaitingCheckin = [alert]
        state.timers.escalations = [.init(alert: alert, level: 1, alertIds: ["0122", "0123"])]
        return state
    }

    /// `fullState()` plus what that leaves at its defaults or repeats: a discharged patient,
    /// an alert with its own recommended action and no escalation fields, an empty check-in, non-ASCII text,
    /// negative, fractional and non-integer numbers, and dates that are not whole milliseconds.
    static func everyField() -> PatientState {
        var state = Self.fullState()
        let time = Fixtures.now.addingTimeInterval(0.000_25)
        func record(_ id: String, at time: Date, _ payload: PatientEvent.Payload) {
            state.history.record(PatientEvent(id: id, source: "app", time: time, patientId: "P-1", payload: payload))
        }
        record("k-2", at: time, .checkin(Checkin()))
        record("k-3", at: time, .checkin(Checkin(
            mood: -3, sleepHours: -0.0, substanceUse: .init(used: false), withdrawal: .init(scale: .ciwaAr, score: 300),
            helpRequested: true)))
        record("a-2", at: time, .appointment(Appointment(status: .attended)))
        record("a-3", at: .distantPast, .appointment(Appointment(status: .cancelled)))
        state.cooldowns["silence-after-lapse"] = .init(until: .distantFuture, severity: .low)
        state.cooldowns["missed-checkins"] = .init(until: time, severity: .medium)
        let evidence = Evidence(eventId: "k-2", type: .alertAck, time: .distantPast, field: "mood", value: .number(-2.5))
        let own = Alert(
            alertId: "0124", patientId: "P-1", rule: "missed-checkins", ruleVersion: -1, severity: .medium, status: .resolved,
            summary: "Keine Rückmeldung seit 48 h", evidence: [evidence], alsoMatched: [], triggeredAt: time,
            detectedAt: .distantFuture, recommendedAction: "Call the family")
        state.timers.awaitingCheckin.append(own)
        state.timers.escalations.append(.init(alert: own, level: 2, alertIds: []))
        state.isDischarged = true
        return state
    }

    @Test("every field round-trips; the partition is left to the restorer and the patient id to the key")
    func everyFieldRoundTrips() throws {
        let state = Self.everyField()
        #expect(state.partition == 5)
        let decoded = try #require(try Self.decode(PatientStateCodec.encode(state)))
        var expected = state
        expected.partition = nil
        #expect(decoded == expected)
        #expect(decoded.processedEvents == state.processedEvents)
        #expect(decoded.nextPruneAt == state.nextPruneAt)
        #expect(decoded.timers.awaitingCheckin.last?.recommendedAction == "Call the family")

        let other = try #require(try Self.decode(PatientStateCodec.encode(state), patientId: "P-7"))
        let alerts = other.timers.awaitingCheckin + other.timers.escalations.map(\.alert)
        #expect(alerts.count == 4)
        #expect(alerts.allSatisfy { $0.patientId == "P-7" })
    }

    @Test("records of earlier versions (frozen bytes) decode to the same state, and are written again as version 4")
    func upgradeFromEarlierVersions() throws {
        let fromBinary = try #require(try Self.decode(PatientStateCodec.encode(Self.everyField())))
        #expect(PatientStateCodec.encode(Self.everyField()).first == 4)

        #expect(FrozenStateRecords.version1.first == UInt8(ascii: "{"))
        var fromJSON = try #require(try Self.decode(FrozenStateRecords.version1))
        #expect(fromJSON.partition == 5)
        fromJSON.partition = nil
        #expect(fromJSON == fromBinary)
        #expect(fromJSON.processedEvents.contains(source: "ehr \"quoted\"", id: "a-1\n"))

        #expect(FrozenStateRecords.version2.first == 2)
        let fromVersion2 = try #require(try Self.decode(FrozenStateRecords.version2))
        #expect(fromVersion2 == fromBinary)
        #expect(fromVersion2.processedEvents.contains(source: "app", id: "c-1"))

        #expect(FrozenStateRecords.version3.first == 3)
        let fromVersion3 = try #require(try Self.decode(FrozenStateRecords.version3))
        #expect(fromVersion3 == fromBinary)

        // Records from before alert groups: no open group; every kept alert opened its own group and paged.
        for upgraded in [fromJSON, fromVersion2, fromVersion3] {
            #expect(upgraded.group == nil)
            let kept = upgraded.timers.awaitingCheckin + upgraded.timers.escalations.map(\.alert)
            #expect(kept.allSatisfy { $0.groupId == $0.alertId && $0.notify })
            let rewritten = PatientStateCodec.encode(upgraded)
            #expect(rewritten.first == 4)
            #expect(try Self.decode(rewritten) == fromBinary)
        }
    }

    @Test("version 4 keeps the open alert group and each kept alert's group and notify flag")
    func alertGroupRoundTrips() throws {
        var state = Self.everyField()
        state.group = AlertGroup(id: "0122", latestTriggeredAt: Fixtures.now.addingTimeInterval(0.5), notifiedSeverity: .critical, memberIds: ["0122", "0123", "0124"])
        state.timers.awaitingCheckin[0].groupId = "0122"
        state.timers.awaitingCheckin[0].notify = false
        state.timers.escalations[1].alert.groupId = "0122"
        let decoded = try #require(try Self.decode(PatientStateCodec.encode(state)))
        var expected = state
        expected.partition = nil
        #expect(decoded == expected)
        #expect(decoded.group?.memberIds == ["0122", "0123", "0124"])
        #expect(decoded.timers.awaitingCheckin[0].notify == false)
        #expect(decoded.timers.awaitingCheckin[0].groupId == "0122")
        #expect(decoded.timers.escalations[0].alert.groupId == "0123")
    }

    @Test("a patient after one craving event takes at most 150 bytes")
    func oneEventSize() throws {
        let engine = RuleEngine(rules: [StubRule(id: "craving-spike", lookback: 14 * 86_400, minimumScore: 8, severity: .high)])
        var state = PatientState()
        let event = PatientEvent(
            id: "bench-123456", source: "app://phone", time: try #require(RFC3339.parse("2026-11-26T12:00:00.123Z")), patientId: "P-123456",
            payload: .craving(Craving(score: 3, substance: "ketamine")))
        _ = engine.process(event, state: &state, detectedAt: Fixtures.now.addingTimeInterval(1))
        let bytes = PatientStateCodec.encode(state)
        #expect(bytes.count <= 150)
        #expect(try Self.decode(bytes, patientId: "P-123456") == state)
    }

    @Test("a string is written once per record, then referred back to")
    func stringsWrittenOnce() throws {
        let state = Self.everyField()
        let bytes = PatientStateCodec.encode(state)
        for text in ["c-1", "k-1", "alcohol", "craving-spike", "0123"] {
            let needle = Array(text.utf8)
            let occurrences = (0...(bytes.count - needle.count)).filter { Array(bytes[$0..<$0 + needle.count]) == needle }
            #expect(occurrences.count == 1, "\(text)")
        }
    }

    @Test("canonically equivalent strings keep their own bytes")
    func canonicalEquivalents() throws {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(composed == decomposed)
        var state = PatientState()
        state.processedEvents.insert(.init(source: composed, id: "1"), time: Fixtures.now)
        state.processedEvents.insert(.init(source: "x", id: decomposed), time: Fixtures.now)
        state.history.record(PatientEvent(id: decomposed, source: "app", time: Fixtures.now, patientId: "P-1", payload: .craving(Craving(score: 1))))
        let decoded = try #require(try Self.decode(PatientStateCodec.encode(state)))
        #expect(decoded.processedEvents.contains(source: composed, id: "1"))
        #expect(!decoded.processedEvents.contains(source: decomposed, id: "1"))
        #expect(decoded.processedEvents.contains(source: "x", id: decomposed))
        #expect(!decoded.processedEvents.contains(source: "x", id: composed))
        #expect(Array(decoded.history.cravings[0].eventId.utf8) == Array(decomposed.utf8))
    }

    @Test(
        "dates round-trip exactly, whole milliseconds or not",
        arguments: [
            Date.distantPast, .distantFuture, Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1.5),
            Date(timeIntervalSince1970: 1.0005), Date(timeIntervalSinceReferenceDate: 0.1), Fixtures.now.addingTimeInterval(0.123),
            Fixtures.now.addingTimeInterval(1e-7), Date(timeIntervalSinceReferenceDate: .leastNonzeroMagnitude),
        ])
    func datesRoundTrip(date: Date) throws {
        var state = PatientState()
        state.latestEventTime = date
        state.nextPruneAt = date
        state.history.record(PatientEvent(id: "c", source: "app", time: date, patientId: "P-1", payload: .craving(Craving(score: 1))))
        let decoded = try #require(try Self.decode(PatientStateCodec.encode(state)))
        for restored in [decoded.latestEventTime, decoded.nextPruneAt, decoded.history.cravings[0].time] {
            #expect(restored.timeIntervalSinceReferenceDate.bitPattern == date.timeIntervalSinceReferenceDate.bitPattern)
        }
    }

    @Test("whole milliseconds take a varint; anything else the Double's 8 bytes after a tag")
    func dateForms() throws {
        func size(_ date: Date) -> Int {
            var writer = BinaryStateWriter(capacity: 16)
            writer.date(date)
            return writer.bytes.count
        }
        // An event time as the decoder parses it.
        #expect(size(try #require(RFC3339.parse("2026-11-26T12:00:00.123Z"))) == 7)
        #expect(size(Date(timeIntervalSince1970: 0)) == 1)
        #expect(size(Date(timeIntervalSince1970: 1.0005)) == 9)
        #expect(size(Date(timeIntervalSinceReferenceDate: 0.1)) == 9)
    }

    static let numberSizes: [(Double, Int)] = [
        (0, 1), (10, 1), (63, 1), (64, 2), (255, 2), (256, 9), (7.5, 9), (-1, 9), (-0.0, 9), (.infinity, 9), (1e300, 9),
        (.leastNonzeroMagnitude, 9),
    ]

    @Test("numbers round-trip bit for bit; integers 0...255 take one or two bytes", arguments: numberSizes)
    func numbers(value: Double, size: Int) throws {
        var writer = BinaryStateWriter(capacity: 16)
        writer.number(value)
        #expect(writer.bytes.count == size)
        var state = PatientState()
        state.history.checkinEveryHours = value
        guard value.isFinite, value > 0 else {
            // A cadence the engine cannot run on (zero, negative, infinite) is refused rather than restored.
            #expect(throws: PatientStateCodecError.self) { try Self.decode(PatientStateCodec.encode(state)) }
            return
        }
        let decoded = try #require(try Self.decode(PatientStateCodec.encode(state)))
        #expect(decoded.history.checkinEveryHours.bitPattern == value.bitPattern)
    }
}
