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
    /// record takes 32 bytes instead of 48 with the name in it, and most patients need no table at all.
    private var substances: [String] = []
    /// The scores that are not a whole number of hundredths, which records refer to by number (`scoreCode(for:)`).
    private var unusualScores: [Double] = []

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

    /// A craving record's score.
    public func score(of record: CravingRecord) -> Double {
        let code = record.scoreCode
        if code < Self.firstUnusualScore { return Double(code) / 100 }
        return unusualScores[Int(code - Self.firstUnusualScore)]
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
        cravings.append(CravingRecord(eventId: eventId, time: time, substanceNumber: number(of: substance), scoreCode: scoreCode(for: score)))
    }

    /// Codes from here on are positions in `unusualScores`; below it, a score in hundredths.
    private static let firstUnusualScore: UInt32 = 1 << 31

    /// The code a record stores for `score`: its hundredths when it is a whole number of them (every score a person
    /// types, 7 or 7.5 or 7.25), exactly as `score(of:)` gives it back; otherwise a position in `unusualScores`.
    private mutating func scoreCode(for score: Double) -> UInt32 {
        let hundredths = (score * 100).rounded()
        if hundredths >= 0, hundredths < Double(Self.firstUnusualScore) {
            // Compared by bits, so that -0 keeps its sign (in the table).
            let code = UInt32(hundredths)
            if (Double(code) / 100).bitPattern == score.bitPattern { return code }
        }
        if let index = unusualScores.firstIndex(where: { $0.bitPattern == score.bitPattern }) { return Self.firstUnusualScore + UInt32(index) }
        unusualScores.append(score)
        return Self.firstUnusualScore + UInt32(unusualScores.count - 1)
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

    /// Drops the substances and unusual scores no craving refers to any more, after a prune, and renumbers the
    /// others in order of first use by the cravings kept.
    private mutating func forgetUnusedTableEntries() {
        if !substances.isEmpty {
            Self.compact(&substances, referredToBy: \.substanceNumber, from: UInt32(Self.commonSubstances.count + 1), in: &cravings)
        }
        if !unusualScores.isEmpty {
            Self.compact(&unusualScores, referredToBy: \.scoreCode, from: Self.firstUnusualScore, in: &cravings)
        }
    }

    /// Keeps the entries of `table` that a record's `code` at or above `first` refers to (at `code - first`), in
    /// order of first use, and renumbers the records to match. One pass over the records.
    private static func compact<Value>(
        _ table: inout [Value], referredToBy code: WritableKeyPath<CravingRecord, UInt32>, from first: UInt32, in records: inout [CravingRecord]
    ) {
        var renumbered: [UInt32: UInt32] = [:]
        var kept: [Value] = []
        for index in records.indices where records[index][keyPath: code] >= first {
            let old = records[index][keyPath: code]
            if let new = renumbered[old] {
                records[index][keyPath: code] = new
                continue
            }
            kept.append(table[Int(old - first)])
            let new = first + UInt32(kept.count - 1)
            renumbered[old] = new
            records[index][keyPath: code] = new
        }
        table = kept
    }

    /// The appointments kept past the retention window, so that "n missed in a row" survives quiet months.
    static let appointmentsKeptRegardless = 10

    public mutating func record(_ event: PatientEvent) {
        switch event.payload {
        case .craving(let craving):
            let record = CravingRecord(eventId: event.id, time: event.time, substanceNumber: number(of: craving.substance), scoreCode: scoreCode(for: craving.score))
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
            forgetUnusedTableEntries()
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

/// A craving in a patient's history, in 32 bytes; its score is `PatientHistory.score(of:)` and its substance
/// `PatientHistory.substance(of:)`. Equality compares both by their codes, which mean the same only within one
/// history (or histories that met them in the same order, as a restore does); `PatientHistory`'s equality compares
/// the values.
public struct CravingRecord: TimedRecord, Equatable {
    public var eventId: String
    public var time: Date
    /// 0 for none; see `PatientHistory.number(of:)`.
    fileprivate(set) var substanceNumber: UInt32
    /// The score in hundredths, or a position in the history's unusual scores: see `PatientHistory.score(of:)`.
    fileprivate(set) var scoreCode: UInt32
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
                left.eventId == right.eventId && left.time == right.time
                    && lhs.score(of: left).bitPattern == rhs.score(of: right).bitPattern && lhs.substance(of: left) == rhs.substance(of: right)
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
