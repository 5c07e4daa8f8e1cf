import Foundation

/// The durable timers of one patient: the absence rules' clocks and the alerts that escalate until acknowledged.
/// Times are event times for the absence clocks (so that a backlog replays them as live processing would) and
/// wall-clock times for escalation (a care team's response time is measured in real time).
///
/// Stored properties are declared widest first and end with the one-byte ones: 51 bytes, whose tail the patient
/// state's small fields share.
public struct PatientTimers: Sendable, Equatable, Codable {
    /// The event that started the clock, cited as evidence.
    var checkinClockEventId: String?
    /// The `silence-after-lapse` clock, rare: kept out of line so that every other patient's state stays small
    /// (about 100 bytes less for each patient held in memory). Nil when no lapse clock runs.
    private var lapse: LapseClock?
    /// Absence alerts that the next check-in publishes again as `resolved`.
    var awaitingCheckin: [Alert] = []
    /// Alerts that escalate until acknowledged.
    public internal(set) var escalations: [Escalation] = []
    /// `missed-checkins` runs from here: the event time of the latest check-in, or of a later (re-)enrolment.
    public internal(set) var checkinClockStart: Date?
    var checkinClockEventType = EventType.checkin
    private var missedLevelStored: Int8 = 0

    public init() {}

    /// The `missed-checkins` levels already alerted since the clock started (0 none, 1 medium, 2 high); a
    /// restored record's larger value is kept as 127, which alerts no further just the same.
    var missedLevel: Int {
        get { Int(missedLevelStored) }
        set { missedLevelStored = Int8(clamping: newValue) }
    }

    /// `silence-after-lapse` fires at this event time unless a check-in comes first.
    public internal(set) var lapseDeadline: Date? {
        get { lapse?.deadline }
        set { updateLapse { $0.deadline = newValue } }
    }

    /// The lapse alert that set the deadline, cited as evidence.
    var lapseAlertId: String? {
        get { lapse?.alertId }
        set { updateLapse { $0.alertId = newValue } }
    }

    var lapseEvidence: Evidence? {
        get { lapse?.evidence }
        set { updateLapse { $0.evidence = newValue } }
    }

    private mutating func updateLapse(_ change: (inout LapseClock.Fields) -> Void) {
        var fields = lapse?.fields ?? LapseClock.Fields()
        change(&fields)
        lapse = fields == LapseClock.Fields() ? nil : LapseClock(fields)
    }

    public struct Escalation: Sendable, Equatable, Codable {
        /// The `firing` alert, as published.
        public var alert: Alert
        /// Escalations published so far.
        public var level: Int
        /// Ids of the firing alert, its escalations and the other alerts of its group: an acknowledgement may name
        /// any of them. Holds the page's own id and the latest others, `AlertGroup.maximumMembers` in all.
        var alertIds: AlertIDList

        mutating func remember(_ alertId: String) {
            alertIds.remember(alertId, limit: AlertGroup.maximumMembers, keepingFirst: 1)
        }

        mutating func remember(contentsOf alertIds: AlertIDList) {
            self.alertIds.remember(contentsOf: alertIds, limit: AlertGroup.maximumMembers, keepingFirst: 1)
        }
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

/// The lapse clock's fields in an immutable box (replaced, never mutated: safe to share between copies).
private final class LapseClock: Sendable, Equatable {
    struct Fields: Equatable {
        var deadline: Date?
        var alertId: String?
        var evidence: Evidence?
    }

    let fields: Fields

    init(_ fields: Fields) { self.fields = fields }

    var deadline: Date? { fields.deadline }
    var alertId: String? { fields.alertId }
    var evidence: Evidence? { fields.evidence }

    static func == (lhs: LapseClock, rhs: LapseClock) -> Bool { lhs.fields == rhs.fields }
}

/// The version-1 JSON layout (`PatientStateCodec`'s old format): the lapse clock's fields at the top level.
extension PatientTimers {
    private enum CodingKeys: String, CodingKey {
        case checkinClockStart, checkinClockEventId, checkinClockEventType, missedLevel
        case lapseDeadline, lapseAlertId, lapseEvidence, awaitingCheckin, escalations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        checkinClockStart = try container.decodeIfPresent(Date.self, forKey: .checkinClockStart)
        checkinClockEventId = try container.decodeIfPresent(String.self, forKey: .checkinClockEventId)
        checkinClockEventType = try container.decode(EventType.self, forKey: .checkinClockEventType)
        missedLevel = try container.decode(Int.self, forKey: .missedLevel)
        lapseDeadline = try container.decodeIfPresent(Date.self, forKey: .lapseDeadline)
        lapseAlertId = try container.decodeIfPresent(String.self, forKey: .lapseAlertId)
        lapseEvidence = try container.decodeIfPresent(Evidence.self, forKey: .lapseEvidence)
        awaitingCheckin = try container.decode([Alert].self, forKey: .awaitingCheckin)
        escalations = try container.decode([Escalation].self, forKey: .escalations)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(checkinClockStart, forKey: .checkinClockStart)
        try container.encodeIfPresent(checkinClockEventId, forKey: .checkinClockEventId)
        try container.encode(checkinClockEventType, forKey: .checkinClockEventType)
        try container.encode(missedLevel, forKey: .missedLevel)
        try container.encodeIfPresent(lapseDeadline, forKey: .lapseDeadline)
        try container.encodeIfPresent(lapseAlertId, forKey: .lapseAlertId)
        try container.encodeIfPresent(lapseEvidence, forKey: .lapseEvidence)
        try container.encode(awaitingCheckin, forKey: .awaitingCheckin)
        try container.encode(escalations, forKey: .escalations)
    }
}
