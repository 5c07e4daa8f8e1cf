import Foundation

/// Patient-level alert groups (CONTRACT.md, "Alert groups"; CLINICAL.md, "Patient-level grouping"): the second
/// defence against alarm fatigue, after folding and cooldowns. Decided in event time, from the durable patient
/// state, so a backlog groups exactly as live processing did.
extension RuleEngine {
    /// Puts a `firing` alert into the patient's group and decides whether it pages: the alert that opens a group
    /// does; a later one only when it is critical or more severe than every alert that paged in the group.
    func group(_ alert: inout Alert, state: inout PatientState) {
        let window = timerPolicy.groupingWindow
        guard window > 0 else { return standalone(&alert) }
        guard var group = state.group else { return open(&alert, state: &state) }
        let distance = alert.triggeredAt.timeIntervalSince(group.latestTriggeredAt)
        if distance > window { return open(&alert, state: &state) }
        // A late event from before the open group's episode is an episode of its own; the open group stays open.
        if distance < -window { return standalone(&alert) }
        alert.groupId = group.id
        alert.notify = alert.severity == .critical || alert.severity > group.notifiedSeverity
        if alert.notify { group.notifiedSeverity = max(group.notifiedSeverity, alert.severity) }
        group.latestTriggeredAt = max(group.latestTriggeredAt, alert.triggeredAt)
        state.group = group
        remember(alert, in: &state)
    }

    /// Records a published alert's id with its group, wherever an acknowledgement will look for it: in the open
    /// group (which the acknowledgement closes) and in the group's pending escalations (which it stops), so that
    /// an acknowledgement of any alert of the group finds the group, whether the alert paged, joined silently, was
    /// an escalation or a resolved republication, and even after the group was replaced by a newer one.
    func remember(_ alert: Alert, in state: inout PatientState) {
        if var group = state.group, group.isIdentified(by: alert.groupId) {
            group.remember(alert.alertId)
            state.group = group
        }
        for index in state.timers.escalations.indices where AlertIDList.same(state.timers.escalations[index].alert.groupId, alert.groupId) {
            state.timers.escalations[index].remember(alert.alertId)
        }
    }

    private func open(_ alert: inout Alert, state: inout PatientState) {
        standalone(&alert)
        state.group = AlertGroup(id: alert.alertId, latestTriggeredAt: alert.triggeredAt, notifiedSeverity: alert.severity, memberIds: [alert.alertId])
    }

    private func standalone(_ alert: inout Alert) {
        alert.groupId = alert.alertId
        alert.notify = true
    }

    /// An acknowledgement (any action) of any alert of a group acknowledges the group: escalation stops for all of
    /// it, and the open group closes, so the patient's next alert pages again.
    func acknowledge(_ ack: AlertAck, state: inout PatientState) {
        let escalatingGroup = state.timers.escalations.first { $0.alertIds.contains(ack.alertId) }?.alert.groupId
        let openGroup = state.group.flatMap { $0.memberIds.contains(ack.alertId) ? $0.id : nil }
        let groupId = escalatingGroup ?? openGroup
        state.timers.escalations.removeAll { escalation in
            escalation.alertIds.contains(ack.alertId) || groupId.map { AlertIDList.same(escalation.alert.groupId, $0) } == true
        }
        if let groupId, state.group?.isIdentified(by: groupId) == true { state.group = nil }
    }
}
