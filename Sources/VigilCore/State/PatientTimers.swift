import Foundation

/// The durable timers of one patient: the absence rules' clocks and the alerts that escalate until acknowledged.
/// Times are event times for the absence clocks (so that a backlog replays them as live processing would) and
/// wall-clock times for escalation (a care team's response time is measured in real time).
public struct PatientTimers: Sendable, Equatable, Codable {
    /// `missed-checkins` runs from here: the event time of the latest check-in, or of a later (re-)enrolment.
    public internal(set) var checkinClockStart: Date?
    /// The event that started the clock, cited as evidence.
    var checkinClockEventId: String?
    var checkinClockEventType = EventType.checkin
    /// The `missed-checkins` levels already alerted since the clock started (0 none, 1 medium, 2 high).
    var missedLevel = 0
    /// `silence-after-lapse` fires at this event time unless a check-in comes first.
    public internal(set) var lapseDeadline: Date?
    /// The lapse alert that set the deadline, cited as evidence.
    var lapseAlertId: String?
    var lapseEvidence: Evidence?
    /// Absence alerts that the next check-in publishes again as `resolved`.
    var awaitingCheckin: [Alert] = []
    /// Alerts that escalate until acknowledged.
    public internal(set) var escalations: [Escalation] = []

    public init() {}

    public struct Escalation: Sendable, Equatable, Codable {
        /// The `firing` alert, as published.
        public var alert: Alert
        /// Escalations published so far.
        public var level: Int
        /// Ids of the firing alert and its escalations: an acknowledgement may name any of them.
        var alertIds: [String]
    }

    /// The earliest instant at which a timer may come due: lets the daemon skip patients cheaply.
    func nextDue(policy: TimerPolicy, cadence: TimeInterval) -> Date? {
        // Called after every event: no allocation.
        var earliest: Date?
        func consider(_ candidate: Date) {
            if earliest.map({ candidate < $0 }) ?? true { earliest = candidate }
        }
        if policy.missedCheckinsEnabled, let start = checkinClockStart, missedLevel < policy.missedCheckinMultiples.count {
            consider(start.addingTimeInterval(cadence * policy.missedCheckinMultiples[missedLevel]))
        }
        if policy.silenceAfterLapseEnabled, let lapseDeadline { consider(lapseDeadline) }
        for escalation in escalations {
            let delays = policy.escalationDelays[escalation.alert.severity] ?? []
            if escalation.level < delays.count {
                consider(escalation.alert.detectedAt.addingTimeInterval(delays[escalation.level]))
            }
        }
        return earliest
    }
}
