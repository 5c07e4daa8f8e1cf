import VigilCore

extension Evidence {
    init(_ event: PatientEvent, field: String, value: Value) {
        self.init(eventId: event.id, type: event.type, time: event.time, field: field, value: value)
    }

    /// A craving's score.
    init(_ record: CravingRecord) {
        self.init(eventId: record.eventId, type: .craving, time: record.time, field: "score", value: .number(record.score))
    }

    init(_ record: CheckinRecord, field: String, value: Value) {
        self.init(eventId: record.eventId, type: .checkin, time: record.time, field: field, value: value)
    }

    /// An appointment's status.
    init(_ record: AppointmentRecord) {
        self.init(eventId: record.eventId, type: .appointment, time: record.time, field: "status", value: .string(record.status.rawValue))
    }
}
