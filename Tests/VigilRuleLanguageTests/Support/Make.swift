import Foundation
import VigilCore

/// Builds test events. Times are offsets from `Make.start` in event time; ids name the event in expectations.
enum Make {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let patient = "patient-1"
    static let source = "test/app"

    static func event(_ payload: PatientEvent.Payload, at offset: TimeInterval, id: String) -> PatientEvent {
        PatientEvent(id: id, source: source, time: start + offset, patientId: patient, payload: payload)
    }

    static func craving(_ score: Double, at offset: TimeInterval = 0, id: String = "craving") -> PatientEvent {
        event(.craving(Craving(score: score)), at: offset, id: id)
    }

    static func checkin(_ checkin: Checkin = Checkin(), at offset: TimeInterval = 0, id: String = "checkin") -> PatientEvent {
        event(.checkin(checkin), at: offset, id: id)
    }

    static func appointment(_ status: Appointment.Status, at offset: TimeInterval = 0, id: String = "appointment") -> PatientEvent {
        event(.appointment(Appointment(status: status)), at: offset, id: id)
    }

    /// `events` recorded in arrival order, as the engine records them.
    static func history(_ events: [PatientEvent]) -> PatientHistory {
        var history = PatientHistory()
        for event in events { history.record(event) }
        return history
    }
}

extension TimeInterval {
    static func seconds(_ count: Double) -> TimeInterval { count }
    static func minutes(_ count: Double) -> TimeInterval { count * 60 }
    static func hours(_ count: Double) -> TimeInterval { count * 3600 }
    static func days(_ count: Double) -> TimeInterval { count * 86_400 }
}
