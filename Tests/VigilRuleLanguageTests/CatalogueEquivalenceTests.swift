import Foundation
import Testing
import VigilCore
import VigilRuleLanguage
import VigilRules

/// `deploy/rules/catalogue.yaml` gives the same alerts as the compiled `builtin` module: the promise that the
/// catalogue is data. Both engines see the same events of a generated cohort, with timers and acknowledgements.
@Suite struct CatalogueEquivalenceTests {
    static var cataloguePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/rules/catalogue.yaml").standardized.path
    }

    static func catalogue() throws -> FileRuleModule {
        try FileRuleModule.load(paths: [cataloguePath]).get()
    }

    @Test func theCatalogueDeclaresEveryBuiltinRuleInTheSameOrder() throws {
        #expect(try Self.catalogue().ruleIds == BuiltinRuleModule().ruleIds)
    }

    @Test func theCatalogueGivesTheBuiltinAlertsOnAThousandPatients() throws {
        let compiled = RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:]))
        let fromFile = RuleEngine(rules: try Self.catalogue().makeRules(settings: [:]))
        #expect(fromFile.retention == compiled.retention)

        let cohort = MixedCohort(patients: 1_000, days: 21, seed: 8)
        var alerts = 0
        var alertsByRule: [String: Int] = [:]
        for patient in 0..<cohort.patients {
            var compiledState = PatientState()
            var fileState = PatientState()
            var lastAlertId: String?
            for (position, event) in cohort.events(patient: patient).enumerated() {
                var events = [event]
                // Now and then the care team acknowledges the latest alert.
                if position % 17 == 0, let lastAlertId {
                    events.append(PatientEvent(id: "ack-\(position)", source: MixedCohort.source, time: event.time, patientId: event.patientId, payload: .alertAck(AlertAck(alertId: lastAlertId, action: .acknowledged))))
                }
                for event in events {
                    let detectedAt = event.time.addingTimeInterval(30)
                    let expected = compiled.process(event, state: &compiledState, detectedAt: detectedAt)
                    let got = fromFile.process(event, state: &fileState, detectedAt: detectedAt)
                    try #require(Outcome(got) == Outcome(expected), "patient \(patient), event \(event.id)")
                    let expectedTimers = compiled.fireTimers(patientId: event.patientId, state: &compiledState, now: event.time.addingTimeInterval(3600))
                    let gotTimers = fromFile.fireTimers(patientId: event.patientId, state: &fileState, now: event.time.addingTimeInterval(3600))
                    try #require(gotTimers.map(AlertKey.init) == expectedTimers.map(AlertKey.init), "patient \(patient), timers after \(event.id)")
                    if let alert = expected.alert {
                        alerts += 1
                        alertsByRule[alert.rule, default: 0] += 1
                        lastAlertId = alert.alertId
                    }
                }
            }
        }
        // The cohort must reach every rule, or the comparison proves little.
        for rule in BuiltinRuleModule().ruleIds {
            #expect(alertsByRule[rule, default: 0] >= 10, "\(rule) alerted \(alertsByRule[rule, default: 0]) times")
        }
        #expect(alerts > 5_000)
    }

    /// What the comparison holds equal: the alert's id, rule, severity, status and folded rules; the timer alerts;
    /// the suppressions with their reasons; whether the event was a duplicate.
    struct Outcome: Equatable {
        var alert: AlertKey?
        var timerAlerts: [AlertKey]
        var suppressed: [String]
        var isDuplicate: Bool

        init(_ result: EngineResult) {
            alert = result.alert.map(AlertKey.init)
            timerAlerts = result.timerAlerts.map(AlertKey.init)
            suppressed = result.suppressed.map { "\($0.rule):\($0.reason.rawValue)" }
            isDuplicate = result.isDuplicate
        }
    }

    struct AlertKey: Equatable, CustomStringConvertible {
        var alertId: String
        var rule: String
        var severity: Severity
        var status: String
        var alsoMatched: [String]

        init(_ alert: Alert) {
            alertId = alert.alertId
            rule = alert.rule
            severity = alert.severity
            status = "\(alert.status)"
            alsoMatched = alert.alsoMatched
        }

        var description: String { "\(rule) \(severity) \(status) \(alertId) also \(alsoMatched)" }
    }
}
