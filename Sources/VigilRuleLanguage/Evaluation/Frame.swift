import Foundation
import VigilCore

/// Everything one rule evaluation reads: the event, the patient's history, the rule's configured parameters, its
/// `let` bindings (each computed at most once, when first read) and the variables of the comprehensions in scope.
///
/// A rule keeps one frame and reuses it (`FramePool`): `begin` sets the event, `end` lets go of the patient's
/// history, so that the engine's next append to it does not copy the arrays.
final class Frame {
    private(set) var event: PatientEvent
    private(set) var eventKind: RecordKind
    private(set) var history: PatientHistory
    let parameters: [Value]
    private let letEvaluators: [Evaluator]
    private var letValues: [Value?]
    var variables: [Value]
    private var steps = 0

    /// Units of work (elements visited, copied or compared) allowed in one evaluation of one rule: a bound on cost
    /// whatever the history holds.
    static let stepBudget = 100_000
    private static let noEvent = PatientEvent(id: "", source: "", time: Date(timeIntervalSince1970: 0), patientId: "", payload: .craving(Craving(score: 0)))

    init(parameters: [Value], lets: [Evaluator], variableSlots: Int) {
        self.event = Self.noEvent
        self.eventKind = .craving
        self.history = PatientHistory()
        self.parameters = parameters
        self.letEvaluators = lets
        self.letValues = Array(repeating: nil, count: lets.count)
        self.variables = Array(repeating: .bool(false), count: variableSlots)
    }

    convenience init(event: PatientEvent, eventKind: RecordKind, history: PatientHistory, parameters: [Value], lets: [Evaluator], variableSlots: Int) {
        self.init(parameters: parameters, lets: lets, variableSlots: variableSlots)
        begin(event, eventKind, history)
    }

    func begin(_ event: PatientEvent, _ kind: RecordKind, _ history: PatientHistory) {
        self.event = event
        self.eventKind = kind
        self.history = history
        steps = 0
    }

    /// Lets go of the history and forgets the bindings, ready for the next `begin`.
    func end() {
        history = PatientHistory()
        for index in letValues.indices { letValues[index] = nil }
    }

    /// Each binding's comprehensions have slots of their own (`ExpressionCompiler.slotBase`), so a binding first
    /// read inside a comprehension leaves that comprehension's variable alone.
    func binding(_ index: Int) throws(EvaluationError) -> Value {
        if let value = letValues[index] { return value }
        let value = try letEvaluators[index](self)
        letValues[index] = value
        return value
    }

    /// Counts `count` units of work: an element visited, copied or compared.
    func step(_ count: Int = 1) throws(EvaluationError) {
        steps += count
        guard steps <= Self.stepBudget else { throw EvaluationError(message: "step budget of \(Self.stepBudget) spent") }
    }
}

/// Reading records by reference.
extension Frame {
    var eventRecord: Record { Record(kind: eventKind, index: Record.eventIndex) }

    func count(_ kind: RecordKind) -> Int {
        switch kind {
        case .craving: history.cravings.count
        case .checkin: history.checkins.count
        case .appointment: history.appointments.count
        }
    }

    func all(_ kind: RecordKind) -> HistoryList { HistoryList(kind: kind, lower: 0, upper: Int32(count(kind))) }

    func cravingScore(_ record: Record) -> Double? {
        guard record.kind == .craving else { return nil }
        if record.index == Record.eventIndex, case .craving(let craving) = event.payload { return craving.score }
        return history.cravings[Int(record.index)].score
    }

    func cravingSubstance(_ record: Record) -> String? {
        guard record.kind == .craving else { return nil }
        if record.index == Record.eventIndex, case .craving(let craving) = event.payload { return craving.substance }
        return history.cravings[Int(record.index)].substance
    }

    func checkin(_ record: Record) -> Checkin? {
        guard record.kind == .checkin else { return nil }
        if record.index == Record.eventIndex, case .checkin(let checkin) = event.payload { return checkin }
        return history.checkins[Int(record.index)].checkin
    }

    func appointmentStatus(_ record: Record) -> Appointment.Status? {
        guard record.kind == .appointment else { return nil }
        if record.index == Record.eventIndex, case .appointment(let appointment) = event.payload { return appointment.status }
        return history.appointments[Int(record.index)].status
    }

    func eventId(_ record: Record) -> String {
        if record.index == Record.eventIndex { return event.id }
        return switch record.kind {
        case .craving: history.cravings[Int(record.index)].eventId
        case .checkin: history.checkins[Int(record.index)].eventId
        case .appointment: history.appointments[Int(record.index)].eventId
        }
    }

    func time(_ record: Record) -> Date {
        if record.index == Record.eventIndex { return event.time }
        return switch record.kind {
        case .craving: history.cravings[Int(record.index)].time
        case .checkin: history.checkins[Int(record.index)].time
        case .appointment: history.appointments[Int(record.index)].time
        }
    }

    /// Whether two records are the same event (the triggering event is also in the history).
    func isSame(_ a: Record, _ b: Record) -> Bool {
        a.kind == b.kind && (a.index == b.index || (time(a) == time(b) && eventId(a) == eventId(b)))
    }
}

extension RecordKind {
    /// The kind of a triggering event, or nil for the kinds that rules do not fire on.
    init?(_ event: PatientEvent) {
        switch event.payload {
        case .craving: self = .craving
        case .checkin: self = .checkin
        case .appointment: self = .appointment
        case .enrollment, .alertAck: return nil
        }
    }
}
