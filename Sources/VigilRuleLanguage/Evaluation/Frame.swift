import Foundation
import VigilCore

/// Everything one rule evaluation reads: the event, the patient's history, the rule's configured parameters, its
/// `let` bindings (each computed at most once, when first read) and the variables of the comprehensions in scope.
///
/// A rule keeps one frame and reuses it (`FramePool`). `evaluating` lends it the event and the history for the
/// length of one evaluation, by address: nothing is copied or retained per evaluation, and the engine's next append
/// to the history finds its arrays uniquely referenced.
///
/// The mutable fields live behind a pointer that the frame owns, not in stored `var`s: a closure tree reads them
/// a few dozen times an evaluation, and each read of a class's stored `var` costs a dynamic exclusivity check
/// (about a tenth of a file rule's time). A frame is used by one thread at a time (`FramePool`), so the checks
/// protect nothing here.
final class Frame {
    private struct Fields {
        var event: UnsafePointer<PatientEvent>
        var eventKind: RecordKind
        var history: UnsafePointer<PatientHistory>
        var letValues: [Value?]
        /// Bindings computed in this evaluation, so that `evaluating` forgets only those.
        var computedLets: [Int]
        var variables: [Value]
        var steps: Int
    }

    let parameters: [Value]
    private let letEvaluators: [Evaluator]
    private let fields: UnsafeMutablePointer<Fields>
    /// What a frame points at outside an evaluation, and what a frame made with its own event owns.
    private let ownedEvent: UnsafeMutablePointer<PatientEvent>
    private let ownedHistory: UnsafeMutablePointer<PatientHistory>

    /// Units of work (elements visited, copied or compared) allowed in one evaluation of one rule: a bound on cost
    /// whatever the history holds.
    static let stepBudget = 100_000
    private static let noEvent = PatientEvent(id: "", source: "", time: Date(timeIntervalSince1970: 0), patientId: "", payload: .craving(Craving(score: 0)))

    init(parameters: [Value], lets: [Evaluator], variableSlots: Int) {
        self.parameters = parameters
        self.letEvaluators = lets
        ownedEvent = .allocate(capacity: 1)
        ownedEvent.initialize(to: Self.noEvent)
        ownedHistory = .allocate(capacity: 1)
        ownedHistory.initialize(to: PatientHistory())
        fields = .allocate(capacity: 1)
        fields.initialize(to: Fields(
            event: UnsafePointer(ownedEvent), eventKind: .craving, history: UnsafePointer(ownedHistory),
            letValues: Array(repeating: nil, count: lets.count), computedLets: [], variables: Array(repeating: .bool(false), count: variableSlots), steps: 0))
        fields.pointee.computedLets.reserveCapacity(lets.count)
    }

    /// A frame that holds its own event and history (tests, and checks that read no event).
    convenience init(event: PatientEvent, eventKind: RecordKind, history: PatientHistory, parameters: [Value], lets: [Evaluator], variableSlots: Int) {
        self.init(parameters: parameters, lets: lets, variableSlots: variableSlots)
        ownedEvent.pointee = event
        ownedHistory.pointee = history
        fields.pointee.eventKind = eventKind
    }

    deinit {
        fields.deinitialize(count: 1)
        fields.deallocate()
        ownedEvent.deinitialize(count: 1)
        ownedEvent.deallocate()
        ownedHistory.deinitialize(count: 1)
        ownedHistory.deallocate()
    }

    var event: PatientEvent {
        _read { yield fields.pointee.event.pointee }
    }

    var eventKind: RecordKind { fields.pointee.eventKind }

    var history: PatientHistory {
        _read { yield fields.pointee.history.pointee }
    }

    /// The comprehension variables' slots.
    var variables: [Value] {
        _read { yield fields.pointee.variables }
        _modify { yield &fields.pointee.variables }
    }

    /// Runs `body` with the frame reading `event` and `history`, then forgets the bindings it computed.
    func evaluating<Result>(_ event: PatientEvent, _ kind: RecordKind, _ history: PatientHistory, _ body: () -> Result) -> Result {
        withUnsafePointer(to: event) { event in
            withUnsafePointer(to: history) { history in
                fields.pointee.event = event
                fields.pointee.history = history
                fields.pointee.eventKind = kind
                fields.pointee.steps = 0
                defer {
                    // Never left pointing at the caller's values once they may be gone.
                    fields.pointee.event = UnsafePointer(ownedEvent)
                    fields.pointee.history = UnsafePointer(ownedHistory)
                    for index in fields.pointee.computedLets { fields.pointee.letValues[index] = nil }
                    fields.pointee.computedLets.removeAll(keepingCapacity: true)
                }
                return body()
            }
        }
    }

    /// Each binding's comprehensions have slots of their own (`ExpressionCompiler.slotBase`), so a binding first
    /// read inside a comprehension leaves that comprehension's variable alone.
    func binding(_ index: Int) throws(EvaluationError) -> Value {
        if let value = fields.pointee.letValues[index] { return value }
        let value = try letEvaluators[index](self)
        fields.pointee.letValues[index] = value
        fields.pointee.computedLets.append(index)
        return value
    }

    /// Counts `count` units of work: an element visited, copied or compared.
    func step(_ count: Int = 1) throws(EvaluationError) {
        fields.pointee.steps += count
        guard fields.pointee.steps <= Self.stepBudget else { throw EvaluationError(message: "step budget of \(Self.stepBudget) spent") }
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
        return history.score(of: history.cravings[Int(record.index)])
    }

    func cravingSubstance(_ record: Record) -> String? {
        guard record.kind == .craving else { return nil }
        if record.index == Record.eventIndex, case .craving(let craving) = event.payload { return craving.substance }
        return history.substance(of: history.cravings[Int(record.index)])
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
