import Foundation
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("AlertPrinter: one readable line per alert")
struct AlertPrinterTests {
    func alert(rule: String = "craving-spike", severity: Severity = .high, patientId: String = "P-0042", summary: String = "Craving 9/10 (threshold 8)") -> Alert {
        let triggered = Date(timeIntervalSince1970: 1_800_000_000)
        return Alert(
            alertId: "a1b2c3", patientId: patientId, rule: rule, ruleVersion: 1, severity: severity, status: .firing,
            summary: summary,
            evidence: [Evidence(eventId: "e-1", type: .craving, time: triggered, field: "score", value: .number(9))],
            alsoMatched: [], triggeredAt: triggered, detectedAt: triggered.addingTimeInterval(5.75),
            recommendedAction: severity.recommendedAction)
    }

    func line(_ alert: Alert) throws -> String? {
        AlertPrinter.line(for: try JSONParser.parse(AlertEncoder.encode(alert)))
    }

    @Test("an encoded alert prints as time, severity in capitals, rule, patient and summary, in columns")
    func line() throws {
        #expect(try line(alert()) == "08:00:05  HIGH      craving-spike        P-0042               Craving 9/10 (threshold 8)")
        #expect(try line(alert(rule: "suicidal-ideation", severity: .critical, patientId: "demo-phq-1", summary: "PHQ-9 item 9 is 1"))
            == "08:00:05  CRITICAL  suicidal-ideation    demo-phq-1           PHQ-9 item 9 is 1")
    }

    @Test("an alert that only updates the patient's group (notify false) is indented under the page, marked └")
    func grouped() throws {
        var update = alert(rule: "combined-risk", severity: .medium, summary: "2 risk factors")
        update.notify = false
        update.groupId = "first"
        #expect(try line(update) == "08:00:05    └ MEDIUM    combined-risk        P-0042               2 risk factors")
        #expect(try line(alert())?.hasPrefix("08:00:05  HIGH") == true)
    }

    @Test("a value wider than its column is kept whole, never cut")
    func longValues() throws {
        let patient = String(repeating: "p", count: 24)
        #expect(try line(alert(rule: "a-rule-id-longer-than-19", severity: .low, patientId: patient))
            == "08:00:05  LOW       a-rule-id-longer-than-19  \(patient)  Craving 9/10 (threshold 8)")
    }

    @Test("the line is a single line")
    func singleLine() throws {
        let printed = try #require(try line(alert(severity: .medium)))
        #expect(!printed.contains("\n"))
        #expect(printed.hasPrefix("08:00:05  MEDIUM    "))
    }

    @Test("a message that is not an alert prints nothing", arguments: [
        #"{"time":"2027-01-15T08:00:05.750Z","data":{"severity":"high","rule":"craving-spike","patientId":"P-1"}}"#,
        #"{"data":{"severity":"high","rule":"craving-spike","patientId":"P-1","summary":"s"}}"#,
        #"{"time":"2027-01-15T08:00:05.750Z","data":{"severity":3,"rule":"craving-spike","patientId":"P-1","summary":"s"}}"#,
        #"["not","an","object"]"#,
    ])
    func notAnAlert(json: String) throws {
        #expect(AlertPrinter.line(for: try JSONParser.parse(Array(json.utf8))) == nil)
    }
}
