import Foundation

/// A relapse-risk rule: a pure, synchronous decision over one event and the patient's recent history.
///
/// Rules never publish or log; the engine folds their matches, applies cooldowns and builds the alert.
/// Implementations must be cheap: they run for every event of every patient.
public protocol Rule: Sendable {
    /// Stable id, e.g. `craving-spike`; appears in alerts, metrics and configuration.
    var id: String { get }
    /// Version of the rule's definition; bump it when its logic or defaults change.
    var version: Int { get }
    /// How far back in event time the rule reads history; the engine keeps at least this much.
    var lookback: TimeInterval { get }
    /// The match for `event`, or nil. `history` already contains `event`.
    func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch?
    /// A rule in shadow mode (a rule file's `status: testing`) is evaluated and counted, but never alerts, folds
    /// another rule or enters a cooldown.
    var isShadow: Bool { get }
    /// `evaluate`, also saying whether the rule could not decide (a rule file's condition that failed to evaluate:
    /// a step budget spent, an index out of range), so that the daemon can count it. Compiled rules always decide.
    func evaluateReportingFailure(_ event: PatientEvent, history: PatientHistory) -> (match: RuleMatch?, failed: Bool)
}

extension Rule {
    public var isShadow: Bool { false }

    public func evaluateReportingFailure(_ event: PatientEvent, history: PatientHistory) -> (match: RuleMatch?, failed: Bool) {
        (evaluate(event, history: history), false)
    }
}

/// What a rule found: the alert it would raise if not folded or cooled down.
public struct RuleMatch: Sendable, Equatable {
    public var severity: Severity
    /// One sentence for a clinician, with the numbers.
    public var summary: String
    /// The inputs that made the rule fire.
    public var evidence: [Evidence]
    /// For how long (event time) further matches at or below this severity are suppressed; 0 for none.
    public var cooldown: TimeInterval
    /// What the care team should do; nil for the severity's standard action.
    public var recommendedAction: String?

    public init(severity: Severity, summary: String, evidence: [Evidence], cooldown: TimeInterval, recommendedAction: String? = nil) {
        self.severity = severity
        self.summary = summary
        self.evidence = evidence
        self.cooldown = cooldown
        self.recommendedAction = recommendedAction
    }
}

/// One input behind an alert: `{ eventId, type, time, field, value }` in the alert's `evidence`.
public struct Evidence: Sendable, Equatable, Codable {
    public enum Value: Sendable, Equatable, Codable {
        case number(Double)
        case bool(Bool)
        case string(String)
        case strings([String])
    }

    public var eventId: String
    public var type: EventType
    public var time: Date
    public var field: String
    public var value: Value

    public init(eventId: String, type: EventType, time: Date, field: String, value: Value) {
        self.eventId = eventId
        self.type = type
        self.time = time
        self.field = field
        self.value = value
    }
}
