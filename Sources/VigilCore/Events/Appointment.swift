/// `care.appointment.v1`: what became of a scheduled appointment.
public struct Appointment: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case attended, missed, cancelled }
    public var status: Status
    public var kind: String?

    public init(status: Status, kind: String? = nil) {
        self.status = status
        self.kind = kind
    }
}
