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

    @Test("a group keeps its id as a value: the same text for alerts to carry, found by that text")
    func groupId() {
        let group = AlertGroup(id: made, latestTriggeredAt: Fixtures.now, notifiedSeverity: .high, memberIds: [made])
        #expect(group.id == made)
        #expect(group.isIdentified(by: made) && !group.isIdentified(by: "0122"))
    }
}
