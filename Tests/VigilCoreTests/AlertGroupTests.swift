import Foundation
import Testing
import VigilCore

@Suite("Alert groups: one page per risk episode (CONTRACT.md, Alert groups)")
struct AlertGroupTests {
    /// Three rules on cravings, one per severity, each with its own short cooldown so that they can fire again.
    static let rules: [any Rule] = [
        StubRule(id: "craving-critical", minimumScore: 10, severity: .critical, cooldown: 0),
        StubRule(id: "craving-high", minimumScore: 8, severity: .high, cooldown: 0),
        StubRule(id: "craving-medium", minimumScore: 5, severity: .medium, cooldown: 0),
        LapseRule(),
    ]

    static func engine(window: TimeInterval = 24 * 3600) -> RuleEngine {
        var policy = TimerPolicy()
        policy.groupingWindow = window
        return RuleEngine(rules: rules, timers: policy)
    }

    func at(_ hours: Double) -> Date { Fixtures.now.addingTimeInterval(hours * 3600) }

    /// Processes the events in order and returns each event's alert (nil where it had none).
    func alerts(_ events: [PatientEvent], engine: RuleEngine = Self.engine(), state: inout PatientState) -> [Alert?] {
        events.map { engine.process($0, state: &state, detectedAt: $0.time).alert }
    }

    func ack(_ alertId: String, at hours: Double) -> PatientEvent {
        PatientEvent(id: "ack-\(hours)", source: "care://team", time: at(hours), patientId: "P-1",
                     payload: .alertAck(AlertAck(alertId: alertId, action: .acknowledged)))
    }

    @Test("the first alert opens the group and pages; a later one at the same or a lower severity only joins it")
    func firstPagesOthersJoin() throws {
        var state = PatientState()
        let got = alerts([craving(8, at: 0), craving(9, at: 5), craving(6, at: 10)], state: &state).compactMap { $0 }
        #expect(got.map(\.notify) == [true, false, false])
        #expect(got.map(\.groupId) == Array(repeating: got[0].alertId, count: 3))
        #expect(got[0].groupId == got[0].alertId)
        #expect(state.group?.id == got[0].alertId)
        #expect(state.group?.memberIds.ids == got.map(\.alertId))
    }

    @Test("a severity above every page of the group pages again; a critical always pages")
    func breakthroughAndCritical() throws {
        var state = PatientState()
        let got = alerts([craving(6, at: 0), craving(8, at: 1), craving(7, at: 2), craving(10, at: 3), craving(10, at: 4), craving(9, at: 5)], state: &state)
            .compactMap { $0 }
        #expect(got.map(\.severity) == [.medium, .high, .medium, .critical, .critical, .high])
        #expect(got.map(\.notify) == [true, true, false, true, true, false])
        #expect(Set(got.map(\.groupId)) == [got[0].alertId])
    }

    @Test("an alert more than the window after the group's latest alert opens a new group; one within it extends the group")
    func windowFromLatestAlert() throws {
        var state = PatientState()
        let got = alerts([craving(8, at: 0), craving(8, at: 20), craving(8, at: 43), craving(8, at: 67.5)], state: &state).compactMap { $0 }
        // 20 h after the first, then 23 h after the second (43 h after the first): the group runs on.
        #expect(got.map(\.notify) == [true, false, false, true])
        #expect(got[3].groupId == got[3].alertId)
        #expect(state.group?.id == got[3].alertId)
    }

    @Test("a late event from before the open group's episode pages on its own and leaves the open group as it was")
    func lateEventOutsideTheWindow() throws {
        var state = PatientState()
        let open = try #require(alerts([craving(8, at: 100)], state: &state)[0])
        let late = try #require(alerts([craving(8, at: 50)], state: &state)[0])
        #expect(late.notify)
        #expect(late.groupId == late.alertId)
        #expect(state.group?.id == open.alertId)
        let next = try #require(alerts([craving(8, at: 101)], state: &state)[0])
        #expect(!next.notify)
        #expect(next.groupId == open.alertId)
    }

    @Test("grouping.window 0s turns grouping off: every firing alert pages, in a group of its own")
    func windowZero() throws {
        var state = PatientState()
        let got = alerts([craving(8, at: 0), craving(8, at: 1), craving(6, at: 2)], engine: Self.engine(window: 0), state: &state).compactMap { $0 }
        #expect(got.count == 3 && got.allSatisfy { $0.notify })
        #expect(got.allSatisfy { $0.groupId == $0.alertId })
        #expect(state.group == nil)
    }

    @Test("an acknowledgement of any alert of the group closes it: the next alert pages and opens a new group")
    func acknowledgementClosesTheGroup() throws {
        let engine = Self.engine()
        var state = PatientState()
        let first = try #require(alerts([craving(8, at: 0)], state: &state)[0])
        let joined = try #require(alerts([craving(8, at: 1)], state: &state)[0])
        _ = engine.process(ack(joined.alertId, at: 1.5), state: &state, detectedAt: at(1.5))
        #expect(state.group == nil)
        let next = try #require(alerts([craving(8, at: 2)], state: &state)[0])
        #expect(next.notify)
        #expect(next.groupId == next.alertId)
        #expect(next.groupId != first.alertId)
    }

    @Test("only pages escalate; an acknowledgement of an alert that only joined stops the group's escalation")
    func escalationFollowsTheGroup() throws {
        let engine = Self.engine()
        var state = PatientState()
        let page = try #require(alerts([craving(10, at: 0)], state: &state)[0])
        let joined = try #require(alerts([craving(8, at: 0.01)], state: &state)[0])
        #expect(!joined.notify)
        #expect(state.timers.escalations.map(\.alert.alertId) == [page.alertId])
        let escalated = engine.fireTimers(patientId: "P-1", state: &state, now: at(0.3))
        #expect(escalated.map(\.status) == [.escalated])
        #expect(escalated.map(\.notify) == [true])
        #expect(escalated.map(\.groupId) == [page.alertId])
        _ = engine.process(ack(joined.alertId, at: 0.35), state: &state, detectedAt: at(0.35))
        #expect(state.timers.escalations.isEmpty)
        #expect(engine.fireTimers(patientId: "P-1", state: &state, now: at(2)).isEmpty)
    }

    @Test("an acknowledgement of the last escalation, after the escalation ended, still closes the group")
    func acknowledgementOfAFinishedEscalation() throws {
        let engine = Self.engine()
        var state = PatientState()
        let page = try #require(alerts([craving(10, at: 0)], state: &state)[0])
        let escalations = engine.fireTimers(patientId: "P-1", state: &state, now: at(1))
        #expect(escalations.map(\.escalationLevel) == [2])
        #expect(state.timers.escalations.isEmpty)
        _ = engine.process(ack(try #require(escalations.last).alertId, at: 1.1), state: &state, detectedAt: at(1.1))
        #expect(state.group == nil)
        let next = try #require(alerts([craving(8, at: 2)], state: &state)[0])
        #expect(next.notify && next.groupId != page.alertId)
    }

    @Test("an acknowledgement of an escalation that a newer page of the group replaced stops the newer page's escalation")
    func acknowledgementOfAReplacedEscalation() throws {
        let engine = Self.engine()
        var state = PatientState()
        _ = try #require(alerts([craving(8, at: 0)], state: &state)[0])
        let highEscalation = try #require(engine.fireTimers(patientId: "P-1", state: &state, now: at(4)).first)
        let critical = try #require(alerts([craving(10, at: 5)], state: &state)[0])
        #expect(critical.notify)
        #expect(state.timers.escalations.map(\.alert.alertId) == [critical.alertId])
        _ = engine.process(ack(highEscalation.alertId, at: 5.1), state: &state, detectedAt: at(5.1))
        #expect(state.timers.escalations.isEmpty)
        #expect(state.group == nil)
    }

    @Test("an acknowledgement of a silent alert of an earlier group stops that group's escalation")
    func acknowledgementOfAnEarlierGroup() throws {
        let engine = Self.engine()
        var state = PatientState()
        let page = try #require(alerts([craving(8, at: 0)], state: &state)[0])
        let silent = try #require(alerts([craving(8, at: 1)], state: &state)[0])
        #expect(!silent.notify)
        // Another rule, so that the newer page does not replace the first one's escalation as the same rule would.
        let newer = try #require(alerts([checkin(at: 30, used: true)], state: &state)[0])
        #expect(newer.notify && newer.groupId == newer.alertId)
        // The first group's page escalates at 4 h and 24 h: the 24 h one is still pending.
        #expect(Set(state.timers.escalations.map(\.alert.groupId)) == [page.alertId, newer.alertId])
        _ = engine.process(ack(silent.alertId, at: 30.5), state: &state, detectedAt: at(30.5))
        #expect(state.timers.escalations.map(\.alert.groupId) == [newer.alertId])
        #expect(state.group?.id == newer.alertId)
    }

    @Test("an acknowledgement of a resolved republication closes its group")
    func acknowledgementOfAResolvedAlert() throws {
        let engine = Self.engine()
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: at(0))
        _ = try #require(engine.fireTimers(patientId: "P-1", state: &state, now: at(48)).first)
        let resolved = try #require(engine.process(checkin(at: 50), state: &state, detectedAt: at(50)).timerAlerts.first)
        #expect(state.group != nil)
        _ = engine.process(ack(resolved.alertId, at: 51), state: &state, detectedAt: at(51))
        #expect(state.group == nil)
    }

    @Test("a resolved republication never pages and stays in its alert's group")
    func resolvedNeverPages() throws {
        let engine = Self.engine()
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: at(0))
        let missed = try #require(engine.fireTimers(patientId: "P-1", state: &state, now: at(48)).first)
        #expect(missed.notify)
        let resolved = try #require(engine.process(checkin(at: 50), state: &state, detectedAt: at(50)).timerAlerts.first)
        #expect(resolved.status == .resolved)
        #expect(!resolved.notify)
        #expect(resolved.groupId == missed.groupId)
    }

    @Test("an absence alert joins the open group like any other")
    func absenceAlertJoins() throws {
        let engine = Self.engine()
        var state = PatientState()
        _ = engine.process(checkin(at: 0), state: &state, detectedAt: at(0))
        let page = try #require(alerts([craving(8, at: 40)], state: &state)[0])
        let missed = try #require(engine.fireTimers(patientId: "P-1", state: &state, now: at(48)).first)
        #expect(missed.rule == "missed-checkins")
        #expect(!missed.notify)
        #expect(missed.groupId == page.alertId)
    }

    @Test("alert ids stay deterministic, and a replay groups exactly as the first run did")
    func deterministic() {
        let events = [craving(6, at: 0), craving(8, at: 3), craving(9, at: 30), craving(10, at: 31), craving(5, at: 80)]
        var first = PatientState()
        var second = PatientState()
        let a = alerts(events, state: &first)
        let b = alerts(events, state: &second)
        #expect(a == b)
        #expect(first == second)
    }

    @Test("the open group survives the state codec, so a restart or rebalance groups as an uninterrupted run")
    func survivesTheCodec() throws {
        var state = PatientState()
        _ = alerts([craving(10, at: 0), craving(8, at: 1)], state: &state)
        let bytes = PatientStateCodec.encode(state)
        var restored = try #require(try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") })
        restored.partition = state.partition
        #expect(restored.group == state.group)
        #expect(restored.timers.escalations == state.timers.escalations)
        var uninterrupted = state
        #expect(alerts([craving(8, at: 2)], state: &restored) == alerts([craving(8, at: 2)], state: &uninterrupted))
    }

    @Test("a group of many alerts keeps only the latest member ids")
    func memberIdsAreBounded() {
        var state = PatientState()
        _ = alerts((0..<50).map { craving(8, at: Double($0)) }, state: &state)
        #expect(state.group?.memberIds.count == AlertGroup.maximumMembers)
    }
}

