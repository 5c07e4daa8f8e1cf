/// What the engine decided for one event; the caller publishes and counts.
public struct EngineResult: Sendable, Equatable {
    /// The one alert for this event, if any.
    public var alert: Alert?
    /// Absence alerts that came due before the event, and absence alerts the event (a check-in) resolves.
    public var timerAlerts: [Alert] = []
    /// The event was processed before (same `source` and `id` for this patient) and was skipped.
    public var isDuplicate = false
    /// Matches that did not alert, with why; one entry per rule.
    public var suppressed: [Suppression] = []
    /// Shadow-mode rules (`status: testing`) that matched the event; nothing of theirs is published.
    public var shadowMatches: [String] = []
    /// Rules that could not decide on this event (`Rule.evaluateReportingFailure`): counted, never silent.
    public var ruleFailures: [String] = []

    public init(alert: Alert? = nil, isDuplicate: Bool = false, suppressed: [Suppression] = []) {
        self.alert = alert
        self.isDuplicate = isDuplicate
        self.suppressed = suppressed
    }

    public struct Suppression: Sendable, Equatable {
        public var rule: String
        public var reason: Reason

        public init(rule: String, reason: Reason) {
            self.rule = rule
            self.reason = reason
        }

        public enum Reason: String, Sendable {
            /// The rule alerted at this or a higher severity within its cooldown.
            case cooldown
            /// Another rule's alert for the same event took it in (see `alsoMatched`).
            case folded
            /// The patient is discharged.
            case discharged
        }
    }
}
