/// The CloudEvents `type` values Vigil understands. Every type is accepted on every input topic.
public enum EventType: String, Sendable, CaseIterable, Codable {
    case craving = "care.craving.v1"
    case checkin = "care.checkin.v1"
    case appointment = "care.appointment.v1"
    case enrollment = "care.enrollment.v1"
    case alertAck = "care.alert-ack.v1"
}
