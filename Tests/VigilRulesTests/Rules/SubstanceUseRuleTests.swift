import Foundation
import Testing
import VigilCore

@Suite struct SubstanceUseRuleTests {
    @Test func reportedUseIsHighWithDayLongCooldown() throws {
        let event = Make.used(["ketamine", "alcohol"], at: 0)
        let match = try #require(try RuleHarness("substance-use").evaluate(event))
        #expect(match.severity == .high)
        #expect(match.cooldown == .hours(24))
        #expect(match.summary == "Substance use reported since the last check-in: ketamine, alcohol")
        #expect(match.evidence == [Evidence(eventId: event.id, type: .checkin, time: event.time, field: "substanceUse.substances", value: .strings(["ketamine", "alcohol"]))])
    }

    @Test func useWithoutSubstancesNamed() throws {
        let event = Make.used([], at: 0)
        let match = try #require(try RuleHarness("substance-use").evaluate(event))
        #expect(match.summary == "Substance use reported since the last check-in (no substance named)")
        #expect(match.evidence == [Evidence(eventId: event.id, type: .checkin, time: event.time, field: "substanceUse.used", value: .bool(true))])
    }

    @Test func noUseDoesNotFire() throws {
        let rule = try RuleHarness("substance-use")
        #expect(rule.evaluate(Make.checkin(Checkin(substanceUse: .init(used: false)), at: 0)) == nil)
        #expect(rule.evaluate(Make.checkin(Checkin(mood: 4), at: 0)) == nil)
    }
}
