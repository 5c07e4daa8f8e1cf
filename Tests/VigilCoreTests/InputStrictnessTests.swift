import Foundation
import Testing
import VigilCore

/// CONTRACT.md: a message without a key is `key-mismatch`; control characters in CloudEvents string attributes
/// (U+0000–U+001F, U+007F–U+009F), binary-mode headers included, are `not-cloudevent`. Details name the
/// attribute, never its value.
@Suite("Input strictness: keyless messages and control characters in attributes")
struct InputStrictnessTests {
    static func failure(_ message: TestMessage) -> DecodeFailure? {
        if case .failure(let failure) = Fixtures.decode(message) { return failure }
        return nil
    }

    @Test("a message without a key is key-mismatch, in both content modes; an empty key too")
    func keyless() throws {
        let structured = try #require(Self.failure(TestMessage(key: nil, value: Fixtures.structured())))
        #expect(structured.code == .keyMismatch)
        #expect(structured.detail == "the message has no key; it must be data.patientId")
        let binary = TestMessage(key: nil, value: #"{"patientId":"P-1","score":9}"#, headers: Self.binaryModeHeaders())
        #expect(Self.failure(binary)?.code == .keyMismatch)
        #expect(Self.failure(TestMessage(key: "", value: Fixtures.structured()))?.code == .keyMismatch)
    }

    @Test("a keyless message that is also broken reports the earlier check: the order stays size, syntax, envelope, type, data, key")
    func keylessOrder() {
        #expect(Self.failure(TestMessage(key: nil, value: "{"))?.code == .malformedJSON)
        #expect(Self.failure(TestMessage(key: nil, value: Fixtures.structured(type: "care.unknown.v1")))?.code == .unsupportedType)
    }

    @Test("a control character in a structured attribute is not-cloudevent, naming the attribute", arguments: [
        (#"e-\u0000-1"#, "id"), (#"e\u001f"#, "id"), (#"e\u007f"#, "id"), (#"e\u0085"#, "id"), (#"e\u009f"#, "id"),
    ])
    func structuredId(id: String, attribute: String) throws {
        let failure = try #require(Self.failure(TestMessage(value: Fixtures.structured(id: id))))
        #expect(failure.code == .notCloudEvent)
        #expect(failure.detail.hasPrefix("\(attribute): contains a control character"))
        #expect(!failure.detail.contains("e-"))
    }

    @Test("every string attribute is checked: source, type, time, specversion, datacontenttype, subject")
    func everyAttribute() throws {
        let cases: [(String, String)] = [
            (Fixtures.structured(source: #"app:\u0000//x"#), "source"),
            (Fixtures.structured(type: #"care.craving.v1\n"#), "type"),
            (Fixtures.structured(time: #"2026-11-26T11:00:00Z\u0000"#), "time"),
            (Fixtures.structured(specversion: #""1.0\u0000""#), "specversion"),
            (#"{"specversion":"1.0","id":"e-1","source":"s","type":"care.craving.v1","time":"2026-11-26T11:00:00Z","datacontenttype":"application/json\u0000","data":{"patientId":"P-1","score":9}}"#, "datacontenttype"),
            (#"{"specversion":"1.0","id":"e-1","source":"s","type":"care.craving.v1","subject":"P-1\u0007","time":"2026-11-26T11:00:00Z","data":{"patientId":"P-1","score":9}}"#, "subject"),
        ]
        for (value, attribute) in cases {
            let failure = try #require(Self.failure(TestMessage(value: value)), "\(attribute) accepted")
            #expect(failure.code == .notCloudEvent, "\(attribute)")
            #expect(failure.detail.hasPrefix("\(attribute): contains a control character"), "\(failure.detail)")
        }
    }

    @Test("printable text beyond ASCII, tabs in data, and control characters in data are not attribute problems")
    func notControl() throws {
        let accented = try Fixtures.decode(TestMessage(value: Fixtures.structured(id: "é-ü-€-\u{00A0}-🙂", source: "app://ünï"))).get()
        #expect(accented.id == "é-ü-€-\u{00A0}-🙂")
        // `data` is not a CloudEvents attribute: its strings follow the data rules (an unknown member is ignored).
        _ = try Fixtures.decode(TestMessage(value: Fixtures.structured(data: #"{"patientId":"P-1","score":9,"note":"a\tb\u0000"}"#))).get()
    }

    @Test("a repeated member's last value counts for this check too")
    func repeatedMember() throws {
        let clean = #"{"specversion":"1.0","id":"e\u0000","id":"e-1","source":"s","type":"care.craving.v1","time":"2026-11-26T11:00:00Z","data":{"patientId":"P-1","score":9}}"#
        #expect(try Fixtures.decode(TestMessage(value: clean)).get().id == "e-1")
        let dirty = #"{"specversion":"1.0","id":"e-1","id":"e\u0000","source":"s","type":"care.craving.v1","time":"2026-11-26T11:00:00Z","data":{"patientId":"P-1","score":9}}"#
        #expect(Self.failure(TestMessage(value: dirty))?.code == .notCloudEvent)
    }

    static func binaryModeHeaders(id: String = "b-1", source: String = "ehr://clinic", subject: String? = nil) -> [(String, String)] {
        [("ce_specversion", "1.0"), ("ce_id", id), ("ce_source", source), ("ce_type", "care.craving.v1"),
         ("ce_time", "2026-11-26T10:00:00Z"), ("content-type", "application/json")] + (subject.map { [("ce_subject", $0)] } ?? [])
    }

    @Test("binary-mode headers are checked the same way, C1 controls included", arguments: [
        ("ce_id", binaryModeHeaders(id: "b\u{0}1")), ("ce_source", binaryModeHeaders(source: "ehr://\u{1B}[31m")),
        ("ce_id", binaryModeHeaders(id: "b\u{85}")), ("ce_subject", binaryModeHeaders(subject: "P-1\r\n")),
    ])
    func binaryHeaders(name: String, headers: [(String, String)]) throws {
        let failure = try #require(Self.failure(TestMessage(value: #"{"patientId":"P-1","score":9}"#, headers: headers)))
        #expect(failure.code == .notCloudEvent)
        #expect(failure.detail.hasPrefix("\(name): contains a control character"))
    }
}
