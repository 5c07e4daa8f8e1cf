import VigilCore

extension Evidence {
    init(_ event: PatientEvent, field: String, value: Value) {
        self.init(eventId: event.id, type: event.type, time: event.time, field: field, value: value)
    }

    /// A craving's score, as `history.score(of: record)` gives it.
    init(_ record: CravingRecord, score: Double) {
        self.init(eventId: record.eventId, type: .craving, time: record.time, field: "score", value: .number(score))
    }

    /// A craving's score, read from the history that holds the record.
    init(_ record: CravingRecord, in history: PatientHistory) {
        self.init(record, score: history.score(of: record))
    }

    init(_ record: CheckinRecord, field: String, value: Value) {
        self.init(eventId: record.eventId, type: .checkin, time: record.time, field: field, value: value)
    }

    /// An appointment's status.
    init(_ record: AppointmentRecord) {
        self.init(eventId: record.eventId, type: .appointment, time: record.time, field: "status", value: .string(record.status.rawValue))
    }
}
