import Foundation

/// The recent events of one patient that rules read, each list sorted by event time. Rules see the history with
/// the event under evaluation already in it; a rule that needs "before the event" filters on time or event id.
public struct PatientHistory: Sendable {
    public private(set) var cravings: [CravingRecord] = []
    public private(set) var checkins: [CheckinRecord] = []
    public private(set) var appointments: [AppointmentRecord] = []
    /// Expected check-in cadence from the latest enrollment (default 24 h).
    public var checkinEveryHours: Double = 24
    /// The substances the cravings name beyond `commonSubstances`, which records refer to by number: a craving
    /// record takes 40 bytes instead of 48 with the name in it, and most patients need no table at all.
    private var substances: [String] = []

    /// Substances numbered the same for every patient (CLINICAL.md's and the contract's names, and a few more).
    static let commonSubstances = [
        "alcohol", "ketamine", "cocaine", "crack", "heroin", "opioid", "fentanyl", "oxycodone", "hydrocodone",
        "morphine", "methadone", "buprenorphine", "tramadol", "benzodiazepine", "alprazolam", "diazepam",
        "clonazepam", "lorazepam", "cannabis", "methamphetamine", "amphetamine", "mdma", "nicotine", "gabapentin",
    ]
    private static let commonSubstanceNumbers = Dictionary(
        uniqueKeysWithValues: commonSubstances.enumerated().map { ($0.element, UInt32($0.offset + 1)) })

    public init() {}

    /// A restored history's other lists (`BinaryStateReader`), as they were recorded, already in event-time order;
    /// its cravings are appended one by one (`appendRestoredCraving`), which numbers their substances.
    mutating func restore(checkins: [CheckinRecord], appointments: [AppointmentRecord], checkinEveryHours: Double) {
        self.checkins = checkins
        self.appointments = appointments
        self.checkinEveryHours = checkinEveryHours
    }

    /// The substance a craving record names.
    public func substance(of record: CravingRecord) -> String? {
        let number = Int(record.substanceNumber)
        if number == 0 { return nil }
        if number <= Self.commonSubstances.count { return Self.commonSubstances[number - 1] }
        return substances[number - Self.commonSubstances.count - 1]
    }

    mutating func reserveCravings(_ count: Int) { cravings.reserveCapacity(count) }

    /// Appends a restored craving, which comes after every craving appended before it.
    mutating func appendRestoredCraving(eventId: String, time: Date, score: Double, substance: String?) {
        cravings.reserveCapacityForOneMore()
        cravings.append(CravingRecord(eventId: eventId, time: time, score: score, substanceNumber: number(of: substance)))
    }

    /// The number a record stores for `substance`: 0 for none, 1... for the common substances, then the positions
    /// in `substances` after them.
    private mutating func number(of substance: String?) -> UInt32 {
        guard let substance else { return 0 }
        if let common = Self.commonSubstanceNumbers[substance] { return common }
        let offset = UInt32(Self.commonSubstances.count + 1)
        if let index = substances.firstIndex(of: substance) { return offset + UInt32(index) }
        substances.append(substance)
        return offset + UInt32(substances.count - 1)
    }

    /// Drops the substances no craving names any more, after a prune, and renumbers the others in order of first
    /// use by the cravings kept.
    private mutating func forgetUnusedSubstances() {
        guard !substances.isEmpty else { return }
        let first = UInt32(Self.commonSubstances.count + 1)
        var renumbered: [UInt32: UInt32] = [:]
        var kept: [String] = []
        for index in cravings.indices where cravings[index].substanceNumber >= first {
            let old = cravings[index].substanceNumber
            if let new = renumbered[old] {
                cravings[index].substanceNumber = new
                continue
            }
            kept.append(substances[Int(old - first)])
            let new = first + UInt32(kept.count - 1)
            renumbered[old] = new
            cravings[index].substanceNumber = new
        }
        substances = kept
    }

    /// The appointments kept past the retention window, so that "n missed in a row" survives quiet months.
    static let appointmentsKeptRegardless = 10

    public mutating func record(_ event: PatientEvent) {
        switch event.payload {
        case .craving(let craving):
            let record = CravingRecord(eventId: event.id, time: event.time, score: craving.score, substanceNumber: number(of: craving.substance))
            Self.insertSorted(record, into: &cravings)
        case .checkin(let checkin):
            Self.insertSorted(CheckinRecord(eventId: event.id, time: event.time, checkin: checkin), into: &checkins)
        case .appointment(let appointment):
            Self.insertSorted(AppointmentRecord(eventId: event.id, time: event.time, status: appointment.status), into: &appointments)
        case .enrollment(let enrollment):
            if let hours = enrollment.checkinEveryHours { checkinEveryHours = hours }
        case .alertAck:
            break
        }
    }

    /// Drops what lies before `cutoff` in event time; keeps the last few appointments regardless.
    public mutating func prune(before cutoff: Date) {
        if let oldest = cravings.first, oldest.time < cutoff {
            cravings.removeAll { $0.time < cutoff }
            forgetUnusedSubstances()
        }
        if let oldest = checkins.first, oldest.time < cutoff { checkins.removeAll { $0.time < cutoff } }
        guard appointments.count > Self.appointmentsKeptRegardless, let oldest = appointments.first, oldest.time < cutoff else { return }
        let keepFrom = max(0, appointments.count - Self.appointmentsKeptRegardless)
        appointments = appointments.enumerated().filter { $0.offset >= keepFrom || $0.element.time >= cutoff }.map(\.element)
    }

    public var isEmpty: Bool { cravings.isEmpty && checkins.isEmpty && appointments.isEmpty }

    /// Inserts after every record with the same or an earlier time: out-of-order events land in event-time order,
    /// and the usual in-order append costs no search.
    private static func insertSorted<Record: TimedRecord>(_ record: Record, into records: inout [Record]) {
        records.reserveCapacityForOneMore()
        var index = records.endIndex
        while index > records.startIndex, records[index - 1].time > record.time { index -= 1 }
        if index == records.endIndex { records.append(record) } else { records.insert(record, at: index) }
    }
}

/// A record kept in a patient's history, placed by its event time.
public protocol TimedRecord: Sendable {
    var eventId: String { get }
    var time: Date { get }
}

/// A craving in a patient's history; its substance is `PatientHistory.substance(of:)`. Equality compares the
/// substance by its number, which means the same substance only within one history (or histories that named their
/// substances in the same order, as a restore does); `PatientHistory`'s equality compares the names.
public struct CravingRecord: TimedRecord, Equatable {
    public var eventId: String
    public var time: Date
    public var score: Double
    /// 0 for none; see `PatientHistory.number(of:)`.
    fileprivate(set) var substanceNumber: UInt32
}

public struct CheckinRecord: TimedRecord, Equatable, Codable {
    public var eventId: String
    public var time: Date
    public var checkin: Checkin

    public init(eventId: String, time: Date, checkin: Checkin) {
        self.eventId = eventId
        self.time = time
        self.checkin = checkin
    }
}

public struct AppointmentRecord: TimedRecord, Equatable, Codable {
    public var eventId: String
    public var time: Date
    public var status: Appointment.Status

    public init(eventId: String, time: Date, status: Appointment.Status) {
        self.eventId = eventId
        self.time = time
        self.status = status
    }
}

/// Equal histories hold the same records, whatever order their substances were first named in.
extension PatientHistory: Equatable {
    public static func == (lhs: PatientHistory, rhs: PatientHistory) -> Bool {
        lhs.checkins == rhs.checkins && lhs.appointments == rhs.appointments && lhs.checkinEveryHours == rhs.checkinEveryHours
            && lhs.cravings.count == rhs.cravings.count
            && zip(lhs.cravings, rhs.cravings).allSatisfy { left, right in
                left.eventId == right.eventId && left.time == right.time && left.score == right.score
                    && lhs.substance(of: left) == rhs.substance(of: right)
            }
    }
}

/// Version-1 records (JSON): the synthesized `Codable` form, each craving with its substance.
extension PatientHistory: Decodable {
    private enum CodingKeys: String, CodingKey { case cravings, checkins, appointments, checkinEveryHours }

    private struct Version1Craving: Decodable {
        var eventId: String
        var time: Date
        var score: Double
        var substance: String?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        restore(
            checkins: try container.decode([CheckinRecord].self, forKey: .checkins),
            appointments: try container.decode([AppointmentRecord].self, forKey: .appointments),
            checkinEveryHours: try container.decode(Double.self, forKey: .checkinEveryHours))
        for craving in try container.decode([Version1Craving].self, forKey: .cravings) {
            appendRestoredCraving(eventId: craving.eventId, time: craving.time, score: craving.score, substance: craving.substance)
        }
    }
}
