import Foundation
import Testing
import VigilCore

/// Duplicates, discharge and re-enrolment, with the built-in rules.
@Suite struct LifecycleTests {
    @Test func aDuplicateEventNeverAlertsAgain() throws {
        var patient = try EngineHarness()
        let event = Make.craving(9, at: 0, id: "craving-1")
        #expect(patient.send(event).alert != nil)
        let again = patient.send(event)
        #expect(again.isDuplicate)
        #expect(again.alert == nil)
        // The same id from another source is another event.
        let otherSource = Make.event(.checkin(Checkin(helpRequested: true)), at: 0, id: "craving-1", source: "other/app")
        #expect(patient.send(otherSource).alert?.rule == "help-request")
    }

    @Test func dischargeSuppressesAndReEnrolmentRestores() throws {
        var patient = try EngineHarness()
        _ = patient.send(Make.enrollment(.active, at: 0))
        for hour in 1...5 { _ = patient.send(Make.craving(1, at: .hours(Double(hour)))) }
        _ = patient.send(Make.enrollment(.discharged, at: .hours(6)))
        let whileDischarged = patient.send(Make.craving(9, at: .hours(7)))
        #expect(whileDischarged.alert == nil)
        #expect(whileDischarged.suppressed == [.init(rule: "craving-spike", reason: .discharged)])

        _ = patient.send(Make.enrollment(.active, at: .hours(8)))
        // Discharge dropped the history: the five low scores no longer make a baseline for a medium spike.
        #expect(patient.send(Make.craving(5, at: .hours(9))).alert == nil)
        #expect(patient.send(Make.craving(9, at: .hours(10))).alert?.rule == "craving-spike")
    }
}
