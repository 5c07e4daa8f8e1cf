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
}
