import Foundation

/// A relapse-risk alert for the care team (`care.relapse-alert.v1`).
public struct Alert: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case firing, escalated, resolved }

    /// Deterministic: the same patient, rule, triggering event and status always give the same id.
    public var alertId: String
    public var patientId: String
    public var rule: String
    public var ruleVersion: Int
    public var severity: Severity
    public var status: Status
    public var summary: String
    public var evidence: [Evidence]
    /// Rules that matched the same event but were folded into this alert.
    public var alsoMatched: [String]
    /// Event time of the triggering event.
    public var triggeredAt: Date
    /// Processing time.
    public var detectedAt: Date
    public var recommendedAction: String
    /// For `escalated`: how many times this alert has been escalated (1, 2, …).
    public var escalationLevel: Int?
    /// For `escalated` and `resolved`: the id of the `firing` alert this one re-publishes.
    public var originalAlertId: String?

    public static let eventType = "care.relapse-alert.v1"

    public init(
        alertId: String, patientId: String, rule: String, ruleVersion: Int, severity: Severity, status: Status,
        summary: String, evidence: [Evidence], alsoMatched: [String], triggeredAt: Date, detectedAt: Date,
        recommendedAction: String
    ) {
        self.alertId = alertId
        self.patientId = patientId
        self.rule = rule
        self.ruleVersion = ruleVersion
        self.severity = severity
        self.status = status
        self.summary = summary
        self.evidence = evidence
        self.alsoMatched = alsoMatched
        self.triggeredAt = triggeredAt
        self.detectedAt = detectedAt
        self.recommendedAction = recommendedAction
    }
}

extension Severity {
    /// The default recommended action for an alert of this severity (CLINICAL.md).
    public var recommendedAction: String {
        switch self {
        case .critical: "Contact the patient within 15 minutes"
        case .high: "Contact the patient within 4 hours"
        case .medium: "Review at the next contact, within 72 hours"
        case .low: "No action needed; shown for context"
        }
    }
}
