import Foundation
import Testing
import VigilCore

/// The built-in rules through the `RuleEngine`: one event, one alert; ties go to CLINICAL.md's priority order.
@Suite struct FoldingTests {
    @Test func theHighestSeverityWinsAndTheOthersAreListed() throws {
        var patient = try EngineHarness()
        let event = Make.checkin(Checkin(substanceUse: .init(used: true, substances: ["alcohol"]), phq9Item9: 1, helpRequested: true), at: 0)
        let result = patient.send(event)
        let alert = try #require(result.alert)
        #expect(alert.rule == "suicidal-ideation")
        #expect(alert.severity == .critical)
        #expect(alert.alsoMatched == ["help-request", "substance-use"])
        #expect(alert.recommendedAction == "Contact the patient within 15 minutes")
        #expect(result.suppressed == [.init(rule: "help-request", reason: .folded), .init(rule: "substance-use", reason: .folded)])
    }

    @Test func severityTiesGoToTheEarlierRule() throws {
        var patient = try EngineHarness()
        let alert = try #require(patient.send(Make.checkin(Checkin(substanceUse: .init(used: true, substances: ["alcohol"]), helpRequested: true), at: 0)).alert)
        #expect(alert.rule == "help-request")
        #expect(alert.severity == .high)
        #expect(alert.alsoMatched == ["substance-use"])
    }

    @Test func aSpikeThatIsAlsoARiseIsReportedAsTheSpike() throws {
        var patient = try EngineHarness()
        #expect(patient.send(Make.craving(3, at: 0)).alert == nil)
        #expect(patient.send(Make.craving(6, at: .hours(1))).alert == nil)
        let alert = try #require(patient.send(Make.craving(9, at: .hours(2))).alert)
        #expect(alert.rule == "craving-spike")
        #expect(alert.summary == "Craving 9/10 (threshold 8)")
        #expect(alert.alsoMatched == ["rising-craving"])
    }

    @Test func severityComesBeforePriority() throws {
        var patient = try EngineHarness()
        let event = Make.checkin(Checkin(substanceUse: .init(used: true, substances: ["heroin", "alcohol"]), helpRequested: true), at: 0)
        let alert = try #require(patient.send(event).alert)
        #expect(alert.rule == "polysubstance")
        #expect(alert.severity == .critical)
        #expect(alert.alsoMatched == ["help-request", "substance-use"])
    }

    @Test func polysubstanceComesBeforeSubstanceUse() throws {
        var patient = try EngineHarness()
        _ = patient.send(Make.used(["ketamine"], at: 0))
        let alert = try #require(patient.send(Make.used(["alcohol"], at: .hours(25))).alert)
        #expect(alert.rule == "polysubstance")
        #expect(alert.severity == .high)
        #expect(alert.summary == "2 distinct substances reported used within 7 days: alcohol, ketamine (threshold 2)")
        #expect(alert.alsoMatched == ["substance-use"])
    }

    @Test func foldedRulesEnterTheirCooldown() throws {
        var patient = try EngineHarness()
        let first = patient.send(Make.checkin(Checkin(substanceUse: .init(used: true, substances: ["alcohol"]), helpRequested: true), at: 0))
        #expect(first.alert?.rule == "help-request")
        let second = patient.send(Make.used(["alcohol"], at: .hours(1)))
        #expect(second.alert == nil)
        #expect(second.suppressed == [.init(rule: "substance-use", reason: .cooldown)])
    }
}
