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

/// One event as rules see it, by reference: its kind and its index in the patient's history of that kind, or the
/// triggering event itself. Values stay a few words wide, so evaluating copies no records.
struct Record: Sendable, Equatable {
    let kind: RecordKind
    /// The index in `PatientHistory`'s list of `kind`; `Record.eventIndex` for the triggering event.
    let index: Int32

    static let eventIndex: Int32 = -1
}

/// A run of one history list, in event-time order: offsets `lower..<upper` of the patient's list of `kind`.
struct HistoryList: Sendable {
    let kind: RecordKind
    let lower: Int32
    let upper: Int32

    var count: Int { Int(upper - lower) }

    /// The `offset`-th record from the start of the run.
    subscript(offset: Int) -> Record { Record(kind: kind, index: lower + Int32(offset)) }

    /// The records from offset `start` up to, not including, `end`.
    func slice(_ start: Int, _ end: Int) -> HistoryList {
        HistoryList(kind: kind, lower: lower + Int32(start), upper: lower + Int32(end))
    }
}

/// Why an expression has no value for this event: a missing optional field read without `has`, an empty list's
/// maximum, an index out of range, a division by zero, or the step budget spent. A rule whose condition fails so
/// does not match; `&&` and `||` absorb a failure when their other side decides, as in CEL.
struct EvaluationError: Error, Sendable {
    var message: String
}

typealias Evaluator = @Sendable (Frame) throws(EvaluationError) -> Value
typealias BoolEvaluator = @Sendable (Frame) throws(EvaluationError) -> Bool
typealias NumberEvaluator = @Sendable (Frame) throws(EvaluationError) -> Double
