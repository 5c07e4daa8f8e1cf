import Foundation
import Testing
import VigilCore

@Suite struct PolysubstanceRuleTests {
    let rule: RuleHarness

    init() throws { rule = try RuleHarness("polysubstance") }

    static func substances(_ event: PatientEvent, _ names: [String]) -> Evidence {
        Evidence(eventId: event.id, type: .checkin, time: event.time, field: "substanceUse.substances", value: .strings(names))
    }

    @Test func opioidAndSedativeInOneCheckinIsCritical() throws {
        let event = Make.used(["heroin", "alcohol"], at: 0)
        let match = try #require(rule.evaluate(event))
        #expect(match.severity == .critical)
        #expect(match.cooldown == .hours(24))
        #expect(match.summary == "Use of heroin and alcohol reported within 24 h (an opioid or ketamine with a sedative: overdose risk)")
        #expect(match.evidence == [Self.substances(event, ["heroin", "alcohol"])])
    }

    @Test(arguments: [(["ketamine"], ["alcohol"]), (["diazepam"], ["fentanyl"])])
    func coUseAcrossCheckinsInEitherOrder(first: [String], second: [String]) throws {
        let earlier = Make.used(first, at: 0)
        let event = Make.used(second, at: .hours(24) - 1)
        let match = try #require(rule.evaluate(event, after: [earlier]))
        #expect(match.severity == .critical)
        #expect(match.evidence == [Self.substances(earlier, first), Self.substances(event, second)])
    }

    @Test func coUseExactly24HoursApartIsOnlyPolysubstance() throws {
        let match = try #require(rule.evaluate(Make.used(["alcohol"], at: .hours(24)), after: [Make.used(["ketamine"], at: 0)]))
        #expect(match.severity == .high)
        #expect(match.summary == "2 distinct substances reported used within 7 days: alcohol, ketamine (threshold 2)")
    }

    @Test func anEarlierCoUseIsNotReportedAgainByAnUnrelatedCheckin() throws {
        let match = try #require(rule.evaluate(Make.used(["cannabis"], at: .hours(1)), after: [Make.used(["heroin", "alcohol"], at: 0)]))
        #expect(match.severity == .high)
        #expect(match.summary == "3 distinct substances reported used within 7 days: alcohol, cannabis, heroin (threshold 2)")
    }

    @Test(arguments: [(TimeInterval.days(7) - 1, true), (.days(7), false)])
    func distinctSubstancesWithinSevenDays(gap: TimeInterval, fires: Bool) throws {
        let earlier = Make.used(["alcohol"], at: 0)
        let event = Make.used(["cocaine"], at: gap)
        let match = rule.evaluate(event, after: [earlier, Make.checkin(Checkin(substanceUse: .init(used: false)), at: .hours(1))])
        #expect((match != nil) == fires)
        if let match {
            #expect(match.severity == .high)
            #expect(match.evidence == [Self.substances(earlier, ["alcohol"]), Self.substances(event, ["cocaine"])])
        }
    }

    @Test func oneSubstanceRepeatedIsNotPolysubstance() throws {
        #expect(rule.evaluate(Make.used(["alcohol"], at: .hours(30)), after: [Make.used(["alcohol"], at: 0)]) == nil)
    }

    @Test func firesOnlyOnACheckinThatNamesUse() throws {
        let earlier = [Make.used(["heroin"], at: 0), Make.used(["alcohol"], at: .hours(1))]
        #expect(rule.evaluate(Make.used([], at: .hours(2)), after: earlier) == nil)
        #expect(rule.evaluate(Make.checkin(Checkin(mood: 5), at: .hours(2)), after: earlier) == nil)
        #expect(rule.evaluate(Make.craving(9, at: .hours(2)), after: earlier) == nil)
    }

    @Test func aCheckinLaterInEventTimeIsOutsideTheWindow() throws {
        // The window ends at the event under evaluation: a heroin report at +5 h that arrived first is not paired
        // with a late alcohol report at 0 h.
        #expect(rule.evaluate(Make.used(["alcohol"], at: 0), after: [Make.used(["heroin"], at: .hours(5))]) == nil)
        #expect(rule.evaluate(Make.used(["alcohol"], at: .hours(6)), after: [Make.used(["heroin"], at: .hours(5))])?.severity == .critical)
    }

    @Test func configuredListsAndMinimum() throws {
        let configured = try RuleHarness("polysubstance", [
            "opioids": .list([.string("Tramadol")]), "sedatives": .list([.string("gabapentin")]), "minimumSubstances": .number(3),
        ])
        #expect(configured.evaluate(Make.used(["tramadol", "gabapentin"], at: 0))?.severity == .critical)
        #expect(configured.evaluate(Make.used(["heroin", "alcohol"], at: 0)) == nil)
        #expect(configured.evaluate(Make.used(["heroin", "alcohol", "cocaine"], at: 0))?.summary
            == "3 distinct substances reported used within 7 days: alcohol, cocaine, heroin (threshold 3)")
    }
}
