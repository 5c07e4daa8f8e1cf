import Foundation
import Testing
@testable import VigilCore

@Suite("Alert id lists: ids a patient's state keeps as 128-bit values")
struct AlertIDListTests {
    private let made = AlertID.make(patientId: "P-1", rule: "craving-spike", eventSource: "app", eventId: "c-1", status: .firing)

    @Test("an id Vigil made comes back as the same text; any other text is still found")
    func roundTrip() {
        let list: AlertIDList = [made, "0122", "not an id", String(repeating: "A", count: 32)]
        #expect(list.count == 4)
        #expect(list.ids[0] == made)
        #expect(list.contains(made) && list.contains("0122") && list.contains("not an id") && list.contains(String(repeating: "A", count: 32)))
        #expect(!list.contains("0123") && !list.contains(made.uppercased()) && !list.contains(String(made.dropLast()) + "g"))
        // Text that is not 32 lower-case digits comes back as its hash's digits, which find it again.
        #expect(list.ids[1] != "0122")
        #expect(AlertIDList(list.ids) == list)
        #expect(AlertIDList(list.ids).contains("0122"))
    }

    @Test("the state record's writer reads each id's text without making strings: the same text as ids")
    func idBytesMatchIds() {
        let list: AlertIDList = [made, "0122", "not an id"]
        var texts: [String] = []
        list.forEachID { texts.append(String(decoding: $0, as: UTF8.self)) }
        #expect(texts == list.ids)
    }

    @Test("remembering skips ids held, and at the limit drops the oldest after those kept")
    func bounded() {
        var list: AlertIDList = []
        for index in 0..<5 { list.remember("a-\(index)", limit: 3, keepingFirst: 1) }
        list.remember("a-4", limit: 3, keepingFirst: 1)
        #expect(list == ["a-0", "a-3", "a-4"])
        var group: AlertIDList = ["a-0", "a-1", "a-2", "a-3"]
        group.remember(contentsOf: ["a-3", "b"], limit: 3, keepingFirst: 0)
        #expect(group == ["a-2", "a-3", "b"])
    }

    @Test("version-1 JSON holds the ids as strings")
    func codable() throws {
        let list: AlertIDList = [made]
        let json = try JSONEncoder().encode(list)
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(made)\"]")
        #expect(try JSONDecoder().decode(AlertIDList.self, from: json) == list)
    }

    @Test("a group whose id is not Vigil's (a hand-made record): an acknowledgement of a member closes it and stops its escalation")
    func foreignGroupId() throws {
        var policy = TimerPolicy()
        policy.groupingWindow = 24 * 3600
        let engine = RuleEngine(rules: [StubRule(id: "craving-high", minimumScore: 8, severity: .high, cooldown: 0)], timers: policy)
        var state = PatientState()
        let page = try #require(engine.process(craving(9, at: 0), state: &state, detectedAt: Fixtures.now).alert)
        try #require(state.timers.escalations.count == 1)
        state.group = AlertGroup(id: "g", latestTriggeredAt: page.triggeredAt, notifiedSeverity: .high, memberIds: ["g", "m-2"])
        state.timers.escalations[0].alert.groupId = "g"
        state.timers.escalations[0].alertIds = ["g"]
        // The group gives its id back as the hash's digits: an alert joining it carries those, and still reaches the
        // escalation filed under "g".
        let joined = try #require(engine.process(craving(8, at: 1), state: &state, detectedAt: Fixtures.now).alert)
        #expect(joined.groupId == state.group?.id && joined.groupId != "g" && !joined.notify)
        #expect(state.timers.escalations[0].alertIds.contains(joined.alertId))

        let ack = PatientEvent(
            id: "ack", source: "care://team", time: Fixtures.now.addingTimeInterval(7200), patientId: "P-1",
            payload: .alertAck(AlertAck(alertId: "m-2", action: .acknowledged)))
        _ = engine.process(ack, state: &state, detectedAt: Fixtures.now)
        #expect(state.group == nil)
        #expect(state.timers.escalations.isEmpty)
    }

    @Test("a group keeps its id as a value: the same text for alerts to carry, found by that text")
    func groupId() {
        let group = AlertGroup(id: made, latestTriggeredAt: Fixtures.now, notifiedSeverity: .high, memberIds: [made])
        #expect(group.id == made)
        #expect(group.isIdentified(by: made) && !group.isIdentified(by: "0122"))
    }
}
