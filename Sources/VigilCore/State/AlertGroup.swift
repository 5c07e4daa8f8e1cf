import Foundation

/// A patient's open alert group (CONTRACT.md, "Alert groups"): the alerts of one risk episode, which page once when
/// the episode opens and again only when it gets worse. Part of the durable patient state, so that a restart or a
/// rebalance decides exactly as an uninterrupted run would.
public struct AlertGroup: Sendable, Equatable {
    /// The first alert's id as its 128-bit value (see `AlertIDList`): 16 bytes, where the text took an 80-byte
    /// heap object for each patient with an open group.
    private var idValue: UInt128
    /// Triggering event time of the group's latest alert; an alert within the grouping window of it joins.
    public var latestTriggeredAt: Date
    /// The highest severity that has paged in this group: a later alert pages only above it (or when critical).
    public var notifiedSeverity: Severity
    /// The ids of the group's alerts, newest last, so that an acknowledgement of any of them closes the group.
    /// Holds the latest `maximumMembers`: an episode that long has been seen many times over.
    public internal(set) var memberIds: AlertIDList

    public static let maximumMembers = 32

    public init(id: String, latestTriggeredAt: Date, notifiedSeverity: Severity, memberIds: AlertIDList) {
        idValue = AlertIDList.value(of: id)
        self.latestTriggeredAt = latestTriggeredAt
        self.notifiedSeverity = notifiedSeverity
        self.memberIds = memberIds
    }

    /// The first alert's id: every alert of the group carries it as `groupId`.
    public var id: String { FNV1a128.hexadecimal(idValue) }

    /// Whether `groupId` names this group.
    func isIdentified(by groupId: String) -> Bool { AlertIDList.value(of: groupId) == idValue }

    mutating func remember(_ alertId: String) {
        memberIds.remember(alertId, limit: Self.maximumMembers, keepingFirst: 0)
    }
}

/// Keeps the group out of line: most patients never alert, and their state stays one pointer larger, not 50 bytes.
final class AlertGroupBox: Sendable, Equatable {
    let group: AlertGroup
    init(_ group: AlertGroup) { self.group = group }

    static func == (lhs: AlertGroupBox, rhs: AlertGroupBox) -> Bool { lhs.group == rhs.group }
}
