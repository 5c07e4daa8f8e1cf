/// `care.alert-ack.v1`: a care team's answer to an alert.
public struct AlertAck: Sendable, Equatable {
    public enum Action: String, Sendable { case acknowledged, resolved, dismissed }
    public var alertId: String
    public var action: Action
    /// Free text from the clinician: never logged.
    public var reason: String?

    public init(alertId: String, action: Action, reason: String? = nil) {
        self.alertId = alertId
        self.action = action
        self.reason = reason
    }
}
