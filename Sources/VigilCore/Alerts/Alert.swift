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
    /// The `alertId` of the first alert of the patient's alert group (its own id when it opened the group).
    public var groupId: String
    /// Whether this alert should page the care team; false when it only updates the patient's open group.
    public var notify: Bool

    public static let eventType = "care.relapse-alert.v1"

    public init(
        alertId: String, patientId: String, rule: String, ruleVersion: Int, severity: Severity, status: Status,
        summary: String, evidence: [Evidence], alsoMatched: [String], triggeredAt: Date, detectedAt: Date,
        recommendedAction: String, groupId: String? = nil, notify: Bool = true
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
        self.groupId = groupId ?? alertId
        self.notify = notify
    }
}

/// Version-1 state records (JSON) hold alerts from before alert groups: such an alert is its own group and paged.
extension Alert {
    private enum CodingKeys: String, CodingKey {
        case alertId, patientId, rule, ruleVersion, severity, status, summary, evidence, alsoMatched, triggeredAt
        case detectedAt, recommendedAction, escalationLevel, originalAlertId, groupId, notify
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            alertId: try container.decode(String.self, forKey: .alertId),
            patientId: try container.decode(String.self, forKey: .patientId),
            rule: try container.decode(String.self, forKey: .rule),
            ruleVersion: try container.decode(Int.self, forKey: .ruleVersion),
            severity: try container.decode(Severity.self, forKey: .severity),
            status: try container.decode(Status.self, forKey: .status),
            summary: try container.decode(String.self, forKey: .summary),
            evidence: try container.decode([Evidence].self, forKey: .evidence),
            alsoMatched: try container.decode([String].self, forKey: .alsoMatched),
            triggeredAt: try container.decode(Date.self, forKey: .triggeredAt),
            detectedAt: try container.decode(Date.self, forKey: .detectedAt),
            recommendedAction: try container.decode(String.self, forKey: .recommendedAction),
            groupId: try container.decodeIfPresent(String.self, forKey: .groupId),
            notify: try container.decodeIfPresent(Bool.self, forKey: .notify) ?? true
        )
        escalationLevel = try container.decodeIfPresent(Int.self, forKey: .escalationLevel)
        originalAlertId = try container.decodeIfPresent(String.self, forKey: .originalAlertId)
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
