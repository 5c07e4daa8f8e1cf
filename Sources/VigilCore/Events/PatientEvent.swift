import Foundation

/// A validated inbound event: the CloudEvents context attributes Vigil uses plus the typed `data`.
public struct PatientEvent: Sendable {
    /// CloudEvents `id`; with `source` it identifies the event.
    public var id: String
    public var source: String
    /// When it happened to the patient (CloudEvents `time`), not when it was sent.
    public var time: Date
    public var patientId: String
    public var payload: Payload

    public enum Payload: Sendable {
        case craving(Craving)
        case checkin(Checkin)
        case appointment(Appointment)
        case enrollment(Enrollment)
        case alertAck(AlertAck)
    }

    public init(id: String, source: String, time: Date, patientId: String, payload: Payload) {
        self.id = id
        self.source = source
        self.time = time
        self.patientId = patientId
        self.payload = payload
    }

    public var type: EventType {
        switch payload {
        case .craving: .craving
        case .checkin: .checkin
        case .appointment: .appointment
        case .enrollment: .enrollment
        case .alertAck: .alertAck
        }
    }
}
