import Foundation
import VigilCore

/// `missed-appointments`, on a missed appointment: `consecutiveMissed` (3) missed in a row, ending with this one and
/// with no attended appointment between them → high; otherwise `missedInWindow` (2) missed within `window`
/// (30 days) up to this one → medium. Cooldown 24 h. No-shows go with shorter retention; 3 in a row is a common
/// drop-out definition.
///
/// A cancelled appointment neither breaks a run of missed ones nor counts in it: cancelling is not attending, but
/// it is not a no-show either. Order is by event time, so a late-arriving report is placed where it happened.
struct MissedAppointmentsRule: BuiltinRule {
    static let id = "missed-appointments"
    let version = 1
    var lookback: TimeInterval { parameters.window }
    let options: RuleOptions
    let parameters: Parameters

    struct Parameters: Sendable {
        /// `consecutiveMissed`, default 3 (2–10): missed in a row → high. The history keeps the last 10
        /// appointments however old, hence the bound.
        var consecutiveMissed = 3
        /// `missedInWindow`, default 2 (1–10): missed within `window` → medium.
        var missedInWindow = 2
        /// `window`, default 30d (1d–90d).
        var window: TimeInterval = .days(30)

        init(reading settings: inout RuleSettings) throws(RuleConfigurationError) {
            consecutiveMissed = try settings.integer("consecutiveMissed", default: consecutiveMissed, in: 2...10)
            missedInWindow = try settings.integer("missedInWindow", default: missedInWindow, in: 1...10)
            window = try settings.duration("window", default: window, in: .days(1)...(.days(90)))
        }
    }

    init(settings: inout RuleSettings) throws(RuleConfigurationError) {
        options = try RuleOptions(reading: &settings, defaultCooldown: .hours(24))
        parameters = try Parameters(reading: &settings)
    }

    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        guard case .appointment(let appointment) = event.payload, appointment.status == .missed,
            let current = history.appointments.index(ofEvent: event.id, at: event.time)
        else { return nil }
        let appointments = history.appointments

        var inARow: [Evidence] = []
        for index in stride(from: current, through: 0, by: -1) {
            let record = appointments[index]
            if record.status == .attended { break }
            if record.status == .missed { inARow.append(Evidence(record)) }
        }
        if inARow.count >= parameters.consecutiveMissed {
            return options.match(
                .high,
                summary: "\(inARow.count) appointments missed in a row (threshold \(parameters.consecutiveMissed))",
                evidence: inARow.reversed()
            )
        }

        let cutoff = event.time.addingTimeInterval(-parameters.window)
        var inWindow: [Evidence] = []
        var index = current
        while index >= 0, appointments[index].time > cutoff {
            if appointments[index].status == .missed { inWindow.append(Evidence(appointments[index])) }
            index -= 1
        }
        guard inWindow.count >= parameters.missedInWindow else { return nil }
        return options.match(
            .medium,
            summary: "\(inWindow.count) \(inWindow.count == 1 ? "appointment" : "appointments") missed within \(Wording.duration(parameters.window)) (threshold \(parameters.missedInWindow))",
            evidence: inWindow.reversed()
        )
    }
}
