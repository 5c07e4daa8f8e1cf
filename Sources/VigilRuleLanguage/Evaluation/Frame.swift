import Foundation
import VigilCore

/// Everything one rule evaluation reads: the event, the patient's history, the rule's configured parameters, its
/// `let` bindings (each computed at most once, when first read) and the variables of the comprehensions in scope.
final class Frame {
    let event: PatientEvent
    let eventRecord: Record
    let history: PatientHistory
    let parameters: [Value]
    private let letEvaluators: [Evaluator]
    private var letValues: [Value?]
    var variables: [Value]
    private var steps = 0

    /// Comprehension iterations allowed in one evaluation of one rule: a bound on cost whatever the history holds.
    static let stepBudget = 100_000

    init(event: PatientEvent, eventRecord: Record, history: PatientHistory, parameters: [Value], lets: [Evaluator], variableSlots: Int) {
        self.event = event
        self.eventRecord = eventRecord
        self.history = history
        self.parameters = parameters
        self.letEvaluators = lets
        self.letValues = Array(repeating: nil, count: lets.count)
        self.variables = Array(repeating: .bool(false), count: variableSlots)
    }

    func binding(_ index: Int) throws(EvaluationError) -> Value {
        if let value = letValues[index] { return value }
        // A binding may be first read inside a comprehension; its own comprehensions reuse the same slots.
        let enclosing = variables
        defer { variables = enclosing }
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

extension Record {
    /// The triggering event as a record, or nil for the kinds that rules do not fire on.
    init?(_ event: PatientEvent) {
        switch event.payload {
        case .craving(let craving):
            self = .craving(CravingRecord(eventId: event.id, time: event.time, score: craving.score, substance: craving.substance))
        case .checkin(let checkin):
            self = .checkin(CheckinRecord(eventId: event.id, time: event.time, checkin: checkin))
        case .appointment(let appointment):
            self = .appointment(AppointmentRecord(eventId: event.id, time: event.time, status: appointment.status))
        case .enrollment, .alertAck:
            return nil
        }
    }
}
