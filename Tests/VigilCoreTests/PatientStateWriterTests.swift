import Foundation
import Testing
@testable import VigilCore

@Suite("Patient state writer: version-1 records, the same JSON as JSONEncoder")
struct PatientStateWriterTests {
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
        state.processedEvents = [.init(source: "app", id: "c-1"): time, .init(source: "ehr \"quoted\"", id: "a-1\n"): time.addingTimeInterval(-1)]
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

    static func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test("every field is written as JSONEncoder writes it")
    func sameAsFoundation() throws {
        let state = Self.fullState()
        let written = try Self.object(PatientStateCodec.encodeVersion1(state))
        let reference = try Self.object(try PatientStateCodec.encodeWithFoundation(state))
        // processedEvents is a dictionary with struct keys: an array of alternating keys and values in hash order.
        let writtenEvents = try #require((written["state"] as? NSDictionary)?["processedEvents"] as? [Any])
        let referenceEvents = try #require((reference["state"] as? NSDictionary)?["processedEvents"] as? [Any])
        #expect(Self.pairs(writtenEvents) == Self.pairs(referenceEvents))
        let strip = { (object: NSDictionary) -> NSDictionary in
            let copy = object.mutableCopy() as! NSMutableDictionary
            let state = (copy["state"] as! NSDictionary).mutableCopy() as! NSMutableDictionary
            state["processedEvents"] = nil
            copy["state"] = state
            return copy
        }
        #expect(strip(written) == strip(reference))
    }

    @Test("what it writes decodes to the same state")
    func roundTrip() throws {
        let state = Self.fullState()
        let bytes = PatientStateCodec.encodeVersion1(state)
        let decoded = try #require(try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") })
        #expect(PatientStateCodec.encodeVersion1(decoded).count == bytes.count)
        #expect(decoded.timers == state.timers)
        #expect(decoded.history.checkins == state.history.checkins)
        #expect(decoded.history.cravings == state.history.cravings)
        #expect(decoded.history.appointments == state.history.appointments)
        #expect(decoded.processedEvents == state.processedEvents)
        #expect(decoded.cooldowns == state.cooldowns)
        #expect(decoded.partition == 5)
        #expect(decoded.nextPruneAt == state.nextPruneAt)
        #expect(decoded.latestEventTime == state.latestEventTime)
    }

    private static func pairs(_ array: [Any]) -> Set<String> {
        Set(stride(from: 0, to: array.count - 1, by: 2).map { index in
            let key = array[index] as? NSDictionary
            return "\(key?["source"] ?? "")|\(key?["id"] ?? "")|\(array[index + 1])"
        })
    }
}
