import Foundation

/// The recent events of one patient that rules read, each list sorted by event time. Rules see the history with
/// the event under evaluation already in it; a rule that needs "before the event" filters on time or event id.
public struct PatientHistory: Sendable, Equatable, Codable {
    public private(set) var cravings: [CravingRecord] = []
    public private(set) var checkins: [CheckinRecord] = []
    public private(set) var appointments: [AppointmentRecord] = []
    /// Expected check-in cadence from the latest enrollment (default 24 h).
    public var checkinEveryHours: Double = 24

    public init() {}

    /// A restored history (`BinaryStateReader`): the lists as they were recorded, already in event-time order.
    init(cravings: [CravingRecord], checkins: [CheckinRecord], appointments: [AppointmentRecord], checkinEveryHours: Double) {
        self.cravings = cravings
        self.checkins = checkins
        self.appointments = appointments
        self.checkinEveryHours = checkinEveryHours
    }

    /// The appointments kept past the retention window, so that "n missed in a row" survives quiet months.
    static let appointmentsKeptRegardless = 10

    public mutating func record(_ event: PatientEvent) {
        switch event.payload {
        case .craving(let craving):
            Self.insertSorted(CravingRecord(eventId: event.id, time: event.time, score: craving.score, substance: craving.substance), into: &cravings)
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
        if let oldest = cravings.first, oldest.time < cutoff { cravings.removeAll { $0.time < cutoff } }
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

public struct CravingRecord: TimedRecord, Equatable, Codable {
    public var eventId: String
    public var time: Date
    public var score: Double
    public var substance: String?

    public init(eventId: String, time: Date, score: Double, substance: String? = nil) {
        self.eventId = eventId
        self.time = time
        self.score = score
        self.substance = substance
    }
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
