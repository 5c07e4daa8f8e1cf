import Foundation
import VigilCore

/// A value at run time. History lists are slices of the patient's own arrays: windowing a history copies nothing.
enum Value: Sendable {
    case bool(Bool)
    case number(Double)
    case string(String)
    case timestamp(Date)
    case duration(TimeInterval)
    case list([Value])
    case history(HistoryList)
    case record(Record)
    case object(ObjectKind, Record)
}

/// One event as rules see it: the triggering event, or a record of the patient's history.
enum Record: Sendable {
    case craving(CravingRecord)
    case checkin(CheckinRecord)
    case appointment(AppointmentRecord)

    var eventId: String {
        switch self {
        case .craving(let record): record.eventId
        case .checkin(let record): record.eventId
        case .appointment(let record): record.eventId
        }
    }

    var time: Date {
        switch self {
        case .craving(let record): record.time
        case .checkin(let record): record.time
        case .appointment(let record): record.time
        }
    }

    var kind: RecordKind {
        switch self {
        case .craving: .craving
        case .checkin: .checkin
        case .appointment: .appointment
        }
    }
}

/// A run of one history list, in event-time order.
enum HistoryList: Sendable {
    case cravings(ArraySlice<CravingRecord>)
    case checkins(ArraySlice<CheckinRecord>)
    case appointments(ArraySlice<AppointmentRecord>)

    var count: Int {
        switch self {
        case .cravings(let records): records.count
        case .checkins(let records): records.count
        case .appointments(let records): records.count
        }
    }

    /// The `offset`-th record from the start of the run.
    subscript(offset: Int) -> Record {
        switch self {
        case .cravings(let records): .craving(records[records.startIndex + offset])
        case .checkins(let records): .checkin(records[records.startIndex + offset])
        case .appointments(let records): .appointment(records[records.startIndex + offset])
        }
    }

    /// The records from offset `lower` up to, not including, `upper`.
    func slice(_ lower: Int, _ upper: Int) -> HistoryList {
        switch self {
        case .cravings(let records): .cravings(records[records.startIndex + lower..<records.startIndex + upper])
        case .checkins(let records): .checkins(records[records.startIndex + lower..<records.startIndex + upper])
        case .appointments(let records): .appointments(records[records.startIndex + lower..<records.startIndex + upper])
        }
    }

    func time(at offset: Int) -> Date {
        switch self {
        case .cravings(let records): records[records.startIndex + offset].time
        case .checkins(let records): records[records.startIndex + offset].time
        case .appointments(let records): records[records.startIndex + offset].time
        }
    }

    func eventId(at offset: Int) -> String {
        switch self {
        case .cravings(let records): records[records.startIndex + offset].eventId
        case .checkins(let records): records[records.startIndex + offset].eventId
        case .appointments(let records): records[records.startIndex + offset].eventId
        }
    }
}

/// Why an expression has no value for this event: a missing optional field read without `has`, an empty list's
/// maximum, an index out of range, a division by zero, or the step budget spent. A rule whose condition fails so
/// does not match; `&&` and `||` absorb a failure when their other side decides, as in CEL.
struct EvaluationError: Error, Sendable {
    var message: String
}

typealias Evaluator = @Sendable (Frame) throws(EvaluationError) -> Value
