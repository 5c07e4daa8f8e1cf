import Foundation
import Testing
import VigilCore

@Suite("Timers: absence rules, escalation, acknowledgements")
struct TimerTests {
    let engine = RuleEngine(rules: [
        StubRule(id: "craving-critical", minimumScore: 10, severity: .critical, cooldown: 3600),
        StubRule(id: "craving-high", minimumScore: 8, severity: .high, cooldown: 3600),
        LapseRule(),
    ])

    func at(_ hours: Double) -> Date { Fixtures.now.addingTimeInterval(hours * 3600) }

    @Test("missed-checkins: medium at 2 × cadence, high at 4 ×, each once; the next check-in resolves the latest")
    func missedCheckins() throws {
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: at(0))
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(47.9)).isEmpty)
        let medium = engine.fireTimers(patientId: "P-1", state: &state, now: at(48))
        #expect(medium.map(\.rule) == ["missed-checkins"])
        #expect(medium.first?.severity == .medium)
        #expect(medium.first?.summary == "No check-in for 48 h (expected every 24 h)")
        #expect(medium.first?.triggeredAt == at(48))
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(95)).isEmpty)
        let high = try #require(engine.fireTimers(patientId: "P-1", state: &state, now: at(96)).first)
        #expect(high.severity == .high)
        #expect(high.alertId != medium.first?.alertId)
        let back = engine.process(checkin(at: 100), state: &state, detectedAt: at(100))
        #expect(back.timerAlerts.count == 1)
        let resolved = try #require(back.timerAlerts.first)
        #expect(resolved.status == .resolved)
        #expect(resolved.originalAlertId == high.alertId)
        #expect(resolved.rule == "missed-checkins")
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(147)).isEmpty)
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(148)).first?.severity == .medium)
    }

    @Test("after downtime a timer that came due fires once, at its highest level, however often it is checked")
    func firesOnceAfterDowntime() {
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: at(0))
        let fired = engine.fireTimers(patientId: "P-1", state: &state, now: at(500))
        #expect(fired.map(\.severity) == [.high])
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(501)).filter { $0.status == .firing }.isEmpty)
    }

    @Test("a backlog yields the alerts live processing did: a timer due before the next event fires before it")
    func backlogMatchesLive() {
        var live = PatientState()
        _ = engine.process(checkin(at: 0), state: &live, detectedAt: at(0))
        let liveFired = engine.fireTimers(patientId: "P-1", state: &live, now: at(50))
        let liveResolved = engine.process(checkin(at: 60), state: &live, detectedAt: at(60)).timerAlerts

        var replay = PatientState()
        _ = engine.process(checkin(at: 0), state: &replay, detectedAt: at(200))
        let replayed = engine.process(checkin(at: 60), state: &replay, detectedAt: at(200)).timerAlerts
        #expect(replayed.map(\.alertId) == (liveFired + liveResolved).map(\.alertId))
        #expect(replayed.map(\.status) == [.firing, .resolved])
    }

    @Test("the cadence comes from the enrolment, and the clock starts at it when there is no check-in yet")
    func cadenceFromEnrollment() {
        var state = PatientState()
        _ = engine.process(enrollment(.active, at: 0, everyHours: 2), state: &state, detectedAt: at(0))
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(3.9)).isEmpty)
        let fired = engine.fireTimers(patientId: "P-1", state: &state, now: at(4))
        #expect(fired.map(\.summary) == ["No check-in for 4 h (expected every 2 h)"])
        #expect(fired.first?.evidence.first?.type == .enrollment)
    }

    @Test("a patient never enrolled and never checked in has no absence clock")
    func noClockWithoutCheckinOrEnrollment() {
        var state = PatientState()
        _ = engine.process(craving(3, at: 0), state: &state, detectedAt: at(0))
        #expect(engine.nextTimerDue(state) == nil)
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(1000)).isEmpty)
    }

    @Test("silence-after-lapse: a substance-use alert and no check-in for 24 h → high; the next check-in resolves it")
    func silenceAfterLapse() throws {
        var state = PatientState()
        let lapse = try #require(engine.process(checkin(at: 0, used: true), state: &state, detectedAt: at(0)).alert)
        #expect(lapse.rule == "substance-use")
        let fired = engine.fireTimers(patientId: "P-1", state: &state, now: at(24)).filter { $0.rule == "silence-after-lapse" }
        #expect(fired.map(\.severity) == [.high])
        #expect(fired.first?.evidence.first?.value == .string(lapse.alertId))
        let resolved = engine.process(checkin(at: 30), state: &state, detectedAt: at(30)).timerAlerts
        #expect(resolved.map(\.rule) == ["silence-after-lapse"])
        #expect(resolved.map(\.status) == [.resolved])
    }

    @Test("a check-in within 24 h of the lapse cancels silence-after-lapse")
    func checkinCancelsSilence() {
        var state = PatientState()
        _ = engine.process(checkin(at: 0, used: true), state: &state, detectedAt: at(0))
        _ = engine.process(checkin(at: 10), state: &state, detectedAt: at(10))
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(30)).filter { $0.rule == "silence-after-lapse" }.isEmpty)
    }

    @Test("an unacknowledged critical alert escalates at 15 and 30 minutes, then stops")
    func criticalEscalation() throws {
        var state = PatientState()
        let alert = try #require(engine.process(craving(10, at: 0), state: &state, detectedAt: at(0)).alert)
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(0).addingTimeInterval(14 * 60)).isEmpty)
        let first = try #require(engine.fireTimers(patientId: "P-1", state: &state, now: at(0).addingTimeInterval(15 * 60)).first)
        #expect(first.status == .escalated)
        #expect(first.escalationLevel == 1)
        #expect(first.originalAlertId == alert.alertId)
        #expect(first.alertId != alert.alertId)
        #expect(first.severity == .critical)
        let second = engine.fireTimers(patientId: "P-1", state: &state, now: at(0).addingTimeInterval(30 * 60))
        #expect(second.map(\.escalationLevel) == [2])
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(10)).isEmpty)
        #expect(state.timers.escalations.isEmpty)
    }

    @Test("high alerts escalate after 4 and 24 hours; after downtime only the highest level due is published")
    func highEscalationAfterDowntime() {
        var state = PatientState()
        _ = engine.process(craving(8, at: 0), state: &state, detectedAt: at(0))
        let fired = engine.fireTimers(patientId: "P-1", state: &state, now: at(25))
        #expect(fired.map(\.escalationLevel) == [2])
    }

    @Test("an acknowledgement naming the alert or one of its escalations stops escalation", arguments: [false, true])
    func acknowledgementStops(namingEscalation: Bool) throws {
        var state = PatientState()
        let alert = try #require(engine.process(craving(10, at: 0), state: &state, detectedAt: at(0)).alert)
        let escalated = try #require(engine.fireTimers(patientId: "P-1", state: &state, now: at(0.25)).first)
        let ack = PatientEvent(id: "ack-1", source: "care://team", time: at(0.3), patientId: "P-1",
                               payload: .alertAck(AlertAck(alertId: namingEscalation ? escalated.alertId : alert.alertId, action: .acknowledged)))
        _ = engine.process(ack, state: &state, detectedAt: at(0.3))
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(1)).isEmpty)
    }

    @Test("an acknowledgement of another alert changes nothing")
    func unrelatedAcknowledgement() throws {
        var state = PatientState()
        _ = try #require(engine.process(craving(10, at: 0), state: &state, detectedAt: at(0)).alert)
        let ack = PatientEvent(id: "ack-1", source: "care://team", time: at(0.1), patientId: "P-1", payload: .alertAck(AlertAck(alertId: "unknown", action: .dismissed)))
        _ = engine.process(ack, state: &state, detectedAt: at(0.1))
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(0.25)).count == 1)
    }

    @Test("a higher severity for the same rule replaces the escalation of the lower one")
    func higherSeverityReplaces() throws {
        let engine = RuleEngine(rules: [StubRule(id: "tiered", minimumScore: 8, severity: .high), TieredRule()])
        var state = PatientState()
        _ = engine.process(craving(8, at: 0), state: &state, detectedAt: at(0))
        let critical = try #require(engine.process(craving(10, at: 0.1), state: &state, detectedAt: at(0.1)).alert)
        #expect(critical.severity == .critical)
        #expect(state.timers.escalations.map(\.alert.alertId) == [critical.alertId])
    }

    @Test("escalation delays and absence rules follow the policy")
    func configuredPolicy() {
        var policy = TimerPolicy()
        policy.escalationDelays = [.critical: [60]]
        policy.missedCheckinsEnabled = false
        let engine = RuleEngine(rules: [StubRule(id: "craving-critical", minimumScore: 10, severity: .critical)], timers: policy)
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: at(0))
        _ = engine.process(craving(10, at: 0), state: &state, detectedAt: at(0))
        let fired = engine.fireTimers(patientId: "P-1", state: &state, now: at(1000))
        #expect(fired.map(\.status) == [.escalated])
        #expect(fired.map(\.escalationLevel) == [1])
    }

    @Test("discharge drops every timer")
    func dischargeDropsTimers() {
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: at(0))
        _ = engine.process(craving(10, at: 0), state: &state, detectedAt: at(0))
        _ = engine.process(enrollment(.discharged, at: 1), state: &state, detectedAt: at(1))
        #expect(engine.nextTimerDue(state) == nil)
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(1000)).isEmpty)
    }
}

/// `substance-use` as the lapse rule: a check-in reporting use → high.
struct LapseRule: Rule {
    var id = "substance-use"
    var version = 1
    var lookback: TimeInterval = 86_400

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .checkin(let checkin) = event.payload, checkin.substanceUse?.used == true else { return nil }
        return RuleMatch(severity: .high, summary: "Reported use", evidence: [], cooldown: 0)
    }
}

/// The same rule id as a high `StubRule` ("tiered"), critical from a score of 10.
struct TieredRule: Rule {
    var id = "tiered"
    var version = 1
    var lookback: TimeInterval = 86_400

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .craving(let craving) = event.payload, craving.score >= 10 else { return nil }
        return RuleMatch(severity: .critical, summary: "Craving 10/10", evidence: [], cooldown: 3600)
    }
}

func checkin(at hours: Double, used: Bool = false) -> PatientEvent {
    PatientEvent(
        id: "ck-\(hours)", source: "app://test", time: Fixtures.now.addingTimeInterval(hours * 3600), patientId: "P-1",
        payload: .checkin(Checkin(mood: 5, substanceUse: used ? .init(used: true, substances: ["alcohol"]) : nil)))
}

func enrollment(_ status: Enrollment.Status, at hours: Double, everyHours: Double) -> PatientEvent {
    PatientEvent(id: "en-\(hours)", source: "app://test", time: Fixtures.now.addingTimeInterval(hours * 3600), patientId: "P-1",
                 payload: .enrollment(Enrollment(status: status, checkinEveryHours: everyHours)))
}
