import Foundation

/// The engine's policy beyond the rules themselves: the absence rules and escalation delays of CLINICAL.md, and the
/// alert-grouping window of CONTRACT.md, with their defaults; every number is configurable.
public struct TimerPolicy: Sendable {
    public static let missedCheckinsRule = "missed-checkins"
    public static let silenceAfterLapseRule = "silence-after-lapse"
    /// Version of the absence rules' definitions.
    public static let absenceRuleVersion = 1

    public var missedCheckinsEnabled = true
    /// `missed-checkins` alerts after these multiples of the patient's cadence: medium at the first, high at the second.
    public var missedCheckinMultiples: [Double] = [2, 4]
    public var silenceAfterLapseEnabled = true
    /// `silence-after-lapse` alerts when no check-in comes this long (event time) after a lapse alert.
    public var silenceAfterLapse: TimeInterval = 24 * 3600
    /// Rules whose alert (or folded match) counts as a lapse.
    public var lapseRules: Set<String> = ["substance-use"]
    /// Wall-clock delays after detection at which an unacknowledged alert is escalated, by severity.
    public var escalationDelays: [Severity: [TimeInterval]] = [
        .critical: [15 * 60, 30 * 60],
        .high: [4 * 3600, 24 * 3600],
    ]

    /// An alert whose triggering event time is within this of the patient's open group's latest alert joins the
    /// group (and pages only when it breaks through); 0 turns grouping off, and every firing alert pages.
    public var groupingWindow: TimeInterval = 24 * 3600

    public init() {}

    /// The absence rules' ids (for metrics and configuration).
    public var ruleIds: [String] { [Self.missedCheckinsRule, Self.silenceAfterLapseRule] }

    /// The severity of each `missed-checkins` level.
    static let missedCheckinSeverities: [Severity] = [.medium, .high]
}
