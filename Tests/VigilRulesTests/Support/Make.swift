import Foundation
import VigilCore

/// Builds test events. Times are offsets from `Make.start` in event time; ids are unique unless given.
enum Make {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let patient = "patient-1"
    static let source = "test/app"

    static func event(_ payload: PatientEvent.Payload, at offset: TimeInterval, id: String? = nil, source: String = source) -> PatientEvent {
        PatientEvent(id: id ?? UUID().uuidString, source: source, time: start + offset, patientId: patient, payload: payload)
    }

    static func craving(_ score: Double, at offset: TimeInterval, id: String? = nil) -> PatientEvent {
        event(.craving(Craving(score: score)), at: offset, id: id)
    }

    static func checkin(_ checkin: Checkin, at offset: TimeInterval, id: String? = nil) -> PatientEvent {
        event(.checkin(checkin), at: offset, id: id)
    }

    /// A check-in that reports use of `substances` (`substanceUse.used` = true).
    static func used(_ substances: [String], at offset: TimeInterval, id: String? = nil) -> PatientEvent {
        checkin(Checkin(substanceUse: .init(used: true, substances: substances)), at: offset, id: id)
    }

    static func appointment(_ status: Appointment.Status, at offset: TimeInterval, id: String? = nil) -> PatientEvent {
        event(.appointment(Appointment(status: status)), at: offset, id: id)
    }

    static func enrollment(_ status: Enrollment.Status, at offset: TimeInterval) -> PatientEvent {
        event(.enrollment(Enrollment(status: status)), at: offset)
    }
}

extension TimeInterval {
    static func seconds(_ count: Double) -> TimeInterval { count }
    static func minutes(_ count: Double) -> TimeInterval { count * 60 }
    static func hours(_ count: Double) -> TimeInterval { count * 3600 }
    static func days(_ count: Double) -> TimeInterval { count * 86_400 }
}
