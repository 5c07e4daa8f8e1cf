import Foundation
import Testing
import VigilCore

@Suite struct HelpRequestRuleTests {
    @Test func helpRequestIsHighWithoutCooldown() throws {
        let event = Make.checkin(Checkin(helpRequested: true), at: 0)
        let match = try #require(try RuleHarness("help-request").evaluate(event))
        #expect(match.severity == .high)
        #expect(match.cooldown == 0)
        #expect(match.summary == "The patient pressed the help button (I need help now)")
        #expect(match.evidence == [Evidence(eventId: event.id, type: .checkin, time: event.time, field: "helpRequested", value: .bool(true))])
    }

    @Test(arguments: [false, nil] as [Bool?])
    func noHelpRequestDoesNotFire(helpRequested: Bool?) throws {
        #expect(try RuleHarness("help-request").evaluate(Make.checkin(Checkin(mood: 5, helpRequested: helpRequested), at: 0)) == nil)
    }
}
