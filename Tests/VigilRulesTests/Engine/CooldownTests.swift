import Foundation
import Testing
import VigilCore

@Suite struct CooldownTests {
    /// Only craving-spike, so that the other craving rules do not fold into the alerts under test.
    static func spikeOnly() throws -> EngineHarness {
        var values: [String: RuleSettings] = [:]
        for id in ["combined-risk", "rising-craving", "cue-exposure"] {
            values[id] = RuleSettings(rule: id, values: ["enabled": .bool(false)])
        }
        return try EngineHarness(settings: values)
    }

    @Test func suppressedInsideTheCooldownAndAlertsAfter() throws {
        var patient = try Self.spikeOnly()
        #expect(patient.send(Make.craving(9, at: 0)).alert?.severity == .high)
        let inside = patient.send(Make.craving(10, at: .hours(24) - 1))
        #expect(inside.alert == nil)
        #expect(inside.suppressed == [.init(rule: "craving-spike", reason: .cooldown)])
        #expect(patient.send(Make.craving(9, at: .hours(24))).alert?.severity == .high)
    }

    @Test func aHigherSeverityAlertsAndStartsANewCooldown() throws {
        var patient = try Self.spikeOnly()
        for hour in 1...5 { _ = patient.send(Make.craving(2, at: .hours(Double(hour)))) }
        #expect(patient.send(Make.craving(5, at: .hours(6))).alert?.severity == .medium)
        #expect(patient.send(Make.craving(6, at: .hours(7))).alert == nil)
        #expect(patient.send(Make.craving(8, at: .hours(8))).alert?.severity == .high)
        // The medium cooldown would have ended at 30 h; the high one runs to 32 h.
        #expect(patient.send(Make.craving(9, at: .hours(31))).alert == nil)
        #expect(patient.send(Make.craving(9, at: .hours(32))).alert?.severity == .high)
    }

    @Test func cooldownIsInEventTime() throws {
        var patient = try Self.spikeOnly()
        #expect(patient.send(Make.craving(9, at: .hours(30))).alert != nil)
        // Arrives later but happened earlier: its event time lies before the cooldown's end, so it is suppressed.
        #expect(patient.send(Make.craving(9, at: .hours(2))).alert == nil)
    }

    @Test func rulesWithoutCooldownAlertEveryTime() throws {
        var patient = try EngineHarness()
        for minute in 0..<3 {
            #expect(patient.send(Make.checkin(Checkin(phq9Item9: 1), at: .minutes(Double(minute)))).alert?.rule == "suicidal-ideation")
        }
    }

    @Test func configuredCooldown() throws {
        var patient = try EngineHarness(settings: settings("help-request", ["cooldown": .string("1h")]))
        #expect(patient.send(Make.checkin(Checkin(helpRequested: true), at: 0)).alert != nil)
        #expect(patient.send(Make.checkin(Checkin(helpRequested: true), at: .minutes(59))).alert == nil)
        #expect(patient.send(Make.checkin(Checkin(helpRequested: true), at: .hours(1))).alert != nil)
    }
}
