import Foundation
import VigilCore

enum Fixtures {
    static let now = RFC3339.parse("2026-11-26T12:00:00Z")!

    /// A structured-mode event as JSON text, with `data` members given as raw JSON.
    static func structured(
        type: String = "care.craving.v1", id: String = "e-1", source: String = "app://test",
        time: String = "2026-11-26T11:00:00Z", data: String = #"{"patientId":"P-1","score":9}"#,
        specversion: String = #""1.0""#
    ) -> String {
        #"{"specversion":\#(specversion),"id":"\#(id)","source":"\#(source)","type":"\#(type)","time":"\#(time)","datacontenttype":"application/json","data":\#(data)}"#
    }

    static let structuredHeaders = [("content-type", "application/cloudevents+json")]

    static func decode(_ message: TestMessage, limits: DecodingLimits = DecodingLimits()) -> Result<PatientEvent, DecodeFailure> {
        EventDecoder(limits: limits).decode(message, now: now)
    }

    static func failureCode(_ message: TestMessage) -> DeadLetterCode? {
        if case .failure(let failure) = decode(message) { return failure.code }
        return nil
    }
}
