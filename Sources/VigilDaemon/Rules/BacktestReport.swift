import Foundation
import VigilCore

/// How `vigil rules backtest` prints its comparison: CONTRACT.md's JSON object, or a table for a person.
public enum BacktestReport {
    public static func json(_ report: Backtest.Report) -> String {
        var json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.key("candidate")
        write(report.candidate, to: &json)
        json.key("baseline")
        write(report.baseline, to: &json)
        json.key("onlyCandidate")
        alerts(report.onlyCandidate, to: &json)
        json.key("onlyBaseline")
        alerts(report.onlyBaseline, to: &json)
        json.field("invalidEvents", report.invalidEvents)
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private static func write(_ summary: Backtest.Summary, to json: inout JSONWriter) {
        json.beginObject()
        json.field("alerts", summary.alerts)
        json.key("byRule")
        json.beginObject()
        for rule in summary.byRule.keys.sorted() { json.field(rule, summary.byRule[rule]!) }
        json.endObject()
        json.key("pagesPer100PatientDays")
        json.number(rounded(summary.pagesPer100PatientDays))
        json.field("patients", summary.patients)
        json.key("patientDays")
        json.number(rounded(summary.patientDays))
        json.endObject()
    }

    private static func alerts(_ alerts: [Alert], to json: inout JSONWriter) {
        json.beginArray()
        for alert in alerts { AlertEncoder.writeData(alert, to: &json) }
        json.endArray()
    }

    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    public static func table(_ report: Backtest.Report) -> String {
        let rules = Set(report.candidate.byRule.keys).union(report.baseline.byRule.keys).sorted()
        var rows: [(String, String, String)] = [
            ("patients", "\(report.candidate.patients)", "\(report.baseline.patients)"),
            ("patient-days", format(report.candidate.patientDays), format(report.baseline.patientDays)),
            ("firing alerts", "\(report.candidate.alerts)", "\(report.baseline.alerts)"),
            ("pages (notify)", "\(report.candidate.pages)", "\(report.baseline.pages)"),
            ("pages per 100 patient-days", format(report.candidate.pagesPer100PatientDays), format(report.baseline.pagesPer100PatientDays)),
        ]
        rows += rules.map { ("  \($0)", "\(report.candidate.byRule[$0] ?? 0)", "\(report.baseline.byRule[$0] ?? 0)") }
        rows += [
            ("only in candidate", "\(report.onlyCandidate.count)", ""),
            ("only in baseline", "", "\(report.onlyBaseline.count)"),
        ]
        let width = max(28, rows.map(\.0.count).max() ?? 0)
        func pad(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(0, count - text.count)) }
        func padLeft(_ text: String, _ count: Int) -> String { String(repeating: " ", count: max(0, count - text.count)) + text }
        var lines = [pad("", width) + padLeft("candidate", 12) + padLeft("baseline", 12)]
        lines += rows.map { pad($0.0, width) + padLeft($0.1, 12) + padLeft($0.2, 12) }
        if report.invalidEvents > 0 { lines.append("\(report.invalidEvents) input events were not valid and were left out") }
        return lines.joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
