import Foundation

/// CloudEvents as integrators publish them, for the tests' stories.
enum Events {
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static let structured = [("content-type", "application/cloudevents+json")]

    /// A structured-mode event; `data` members as raw JSON, without patientId.
    static func structured(_ type: String, id: String, patient: String, at date: Date, data: String = "", source: String = "app://story") -> String {
        let members = data.isEmpty ? "" : "," + data
        return #"{"specversion":"1.0","id":"\#(id)","source":"\#(source)","type":"\#(type)","time":"\#(time(date))","datacontenttype":"application/json","data":{"patientId":"\#(patient)"\#(members)}}"#
    }

    static func craving(_ score: Int, id: String, patient: String, at date: Date, substance: String? = nil) -> String {
        structured("care.craving.v1", id: id, patient: patient, at: date, data: #""score":\#(score)"# + (substance.map { #","substance":"\#($0)""# } ?? ""))
    }

    /// A check-in; `data` members as raw JSON, e.g. `"phq9Item9":2`.
    static func checkin(id: String, patient: String, at date: Date, data: String = #""mood":6"#) -> String {
        structured("care.checkin.v1", id: id, patient: patient, at: date, data: data)
    }

    static func enrollment(id: String, patient: String, at date: Date, checkinEveryHours: Double) -> String {
        structured("care.enrollment.v1", id: id, patient: patient, at: date, data: #""status":"active","checkinEveryHours":\#(checkinEveryHours)"#, source: "ehr://clinic")
    }

    static func acknowledgement(id: String, patient: String, alertId: String, at date: Date, action: String = "acknowledged") -> String {
        structured("care.alert-ack.v1", id: id, patient: patient, at: date, data: #""alertId":"\#(alertId)","action":"\#(action)","reason":"called back""#, source: "care://team")
    }
}
