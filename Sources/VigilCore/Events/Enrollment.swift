/// `care.enrollment.v1`: starts or stops monitoring of a patient.
public struct Enrollment: Sendable, Equatable {
    public enum Status: String, Sendable { case active, discharged }
    public var status: Status
    /// Expected check-in cadence in hours (default 24).
    public var checkinEveryHours: Double?

    public init(status: Status, checkinEveryHours: Double? = nil) {
        self.status = status
        self.checkinEveryHours = checkinEveryHours
    }
}
