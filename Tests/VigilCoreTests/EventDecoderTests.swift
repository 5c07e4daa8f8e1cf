import Foundation
import Testing
import VigilCore

@Suite("Decoding CloudEvents")
struct EventDecoderTests {
    @Test("structured mode with its content-type header")
    func structuredMode() throws {
        let message = TestMessage(key: "P-1", value: Fixtures.structured(), headers: Fixtures.structuredHeaders)
        let event = try Fixtures.decode(message).get()
        #expect(event.id == "e-1")
        #expect(event.source == "app://test")
        #expect(event.patientId == "P-1")
        #expect(event.time == RFC3339.parse("2026-11-26T11:00:00Z"))
        #expect(event.type == .craving)
        guard case .craving(let craving) = event.payload else { Issue.record("not a craving"); return }
        #expect(craving.score == 9)
    }

    @Test("structured mode without a content-type header, recognised by specversion")
    func structuredWithoutContentType() throws {
        let event = try Fixtures.decode(TestMessage(value: Fixtures.structured())).get()
        #expect(event.patientId == "P-1")
    }

    @Test("binary mode: attributes in ce_ headers, data in the value")
    func binaryMode() throws {
        let message = TestMessage(
            key: "P-7", value: #"{"patientId":"P-7","mood":2,"stress":8,"sleepHours":4.5,"substanceUse":{"used":true,"substances":["Alcohol","heroin"]}}"#,
            headers: [
                ("ce_specversion", "1.0"), ("ce_id", "b-1"), ("ce_source", "ehr://clinic"), ("ce_type", "care.checkin.v1"),
                ("ce_time", "2026-11-26T10:00:00+01:00"), ("content-type", "application/json"),
            ])
        let event = try Fixtures.decode(message).get()
        #expect(event.id == "b-1")
        #expect(event.time == RFC3339.parse("2026-11-26T09:00:00Z"))
        guard case .checkin(let checkin) = event.payload else { Issue.record("not a check-in"); return }
        #expect(checkin.mood == 2)
        #expect(checkin.stress == 8)
        #expect(checkin.sleepHours == 4.5)
        #expect(checkin.substanceUse == .init(used: true, substances: ["alcohol", "heroin"]))
    }

    @Test("every event type decodes")
    func everyType() throws {
        let cases: [(String, String, EventType)] = [
            ("care.appointment.v1", #"{"patientId":"P-1","status":"missed","kind":"therapy"}"#, .appointment),
            ("care.enrollment.v1", #"{"patientId":"P-1","status":"active","checkinEveryHours":12}"#, .enrollment),
            ("care.alert-ack.v1", #"{"patientId":"P-1","alertId":"abc","action":"acknowledged","reason":"called"}"#, .alertAck),
            ("care.checkin.v1", #"{"patientId":"P-1","withdrawal":{"scale":"COWS","score":14,"complicated":false},"phq9Item9":1,"helpRequested":true,"cueExposure":true}"#, .checkin),
        ]
        for (type, data, expected) in cases {
            let event = try Fixtures.decode(TestMessage(value: Fixtures.structured(type: type, data: data))).get()
            #expect(event.type == expected)
        }
    }

    @Test(
        "every dead-letter code",
        arguments: [
            (Fixtures.structured().replacingOccurrences(of: "}", with: ""), [], DeadLetterCode.malformedJSON),
            (#"{"hello":"world"}"#, [], .notCloudEvent),
            (#"[1,2,3]"#, [], .notCloudEvent),
            (Fixtures.structured().replacingOccurrences(of: #""id":"e-1","#, with: ""), [], .notCloudEvent),
            (Fixtures.structured(specversion: #""0.3""#), [], .unsupportedSpecVersion),
            (Fixtures.structured(type: "care.unknown.v1"), [], .unsupportedType),
            (Fixtures.structured(data: #"{"patientId":"P-1","score":11}"#), [], .schemaViolation),
            (Fixtures.structured(data: #"{"patientId":"P-1"}"#), [], .schemaViolation),
            (Fixtures.structured(data: #"{"patientId":"Jane Doe","score":3}"#), [], .schemaViolation),
            (Fixtures.structured(time: "yesterday"), [], .schemaViolation),
            (Fixtures.structured(time: "2026-11-26T12:06:00Z"), [], .timeInFuture),
            (Fixtures.structured(), [("content-type", "text/plain")], .notCloudEvent),
        ] as [(String, [(String, String)], DeadLetterCode)]
    )
    func deadLetterCodes(value: String, headers: [(String, String)], expected: DeadLetterCode) {
        #expect(Fixtures.failureCode(TestMessage(value: value, headers: headers)) == expected)
    }

    @Test("structured attributes: escaped member names count, a repeated member's last value wins")
    func structuredMembers() throws {
        let escaped = Fixtures.structured().replacingOccurrences(of: #""id":"e-1""#, with: #""\u0069d":"e-\u0031""#)
        #expect(try Fixtures.decode(TestMessage(value: escaped)).get().id == "e-1")
        let repeated = Fixtures.structured().replacingOccurrences(of: #""id":"e-1""#, with: #""id":"e-0","id":"e-1""#)
        #expect(try Fixtures.decode(TestMessage(value: repeated)).get().id == "e-1")
        let laterTimeInvalid = Fixtures.structured().replacingOccurrences(of: #""datacontenttype""#, with: #""time":3,"datacontenttype""#)
        #expect(Fixtures.failureCode(TestMessage(value: laterTimeInvalid)) == .schemaViolation)
    }

    @Test(
        "structured attributes of the wrong kind",
        arguments: [
            (Fixtures.structured(specversion: "1.0"), DeadLetterCode.unsupportedSpecVersion),
            (Fixtures.structured(specversion: "null"), .unsupportedSpecVersion),
            (Fixtures.structured(time: "2026-11-26T11:00:00Z").replacingOccurrences(of: #""time":"2026-11-26T11:00:00Z""#, with: #""time":null"#), .schemaViolation),
            (Fixtures.structured().replacingOccurrences(of: #""id":"e-1""#, with: #""id":["e-1"]"#), .notCloudEvent),
            (Fixtures.structured().replacingOccurrences(of: #""datacontenttype":"application/json""#, with: #""datacontenttype":"text/plain""#), .schemaViolation),
            (Fixtures.structured().replacingOccurrences(of: #""datacontenttype":"application/json""#, with: #""datacontenttype":7"#), .schemaViolation),
            (Fixtures.structured().replacingOccurrences(of: #""id":"e-1""#, with: #""id":"e-1","ext":{"a":[1,{"b":"\ud800"}]}"#), .malformedJSON),
            (Fixtures.structured().replacingOccurrences(of: #""id":"e-1""#, with: #""\ud800":1,"id":"e-1""#), .malformedJSON),
            (Fixtures.structured() + " x", .malformedJSON),
            (#" "just a string" "#, .notCloudEvent),
            (#"{"specversion":"1.0","#, .malformedJSON),
        ] as [(String, DeadLetterCode)]
    )
    func structuredAttributeKinds(value: String, expected: DeadLetterCode) {
        #expect(Fixtures.failureCode(TestMessage(value: value)) == expected)
    }

    @Test("a key that differs from data.patientId is a key-mismatch")
    func keyMismatch() {
        #expect(Fixtures.failureCode(TestMessage(key: "P-2", value: Fixtures.structured())) == .keyMismatch)
    }

    @Test("a value over the limit is too-large, whatever it holds")
    func tooLarge() {
        let message = TestMessage(value: String(repeating: " ", count: 2000) + Fixtures.structured())
        let result = Fixtures.decode(message, limits: DecodingLimits(maxEventBytes: 1024))
        guard case .failure(let failure) = result else { Issue.record("accepted"); return }
        #expect(failure.code == .tooLarge)
    }

    @Test("time within the clock-skew allowance is accepted; the limit is configurable")
    func clockSkew() {
        let slightlyAhead = TestMessage(value: Fixtures.structured(time: "2026-11-26T12:04:59Z"))
        #expect((try? Fixtures.decode(slightlyAhead).get()) != nil)
        let strict = Fixtures.decode(slightlyAhead, limits: DecodingLimits(maxClockSkew: 60))
        guard case .failure(let failure) = strict else { Issue.record("accepted"); return }
        #expect(failure.code == .timeInFuture)
    }

    @Test("failure details name the field, never its value")
    func detailsCarryNoValues() {
        let secret = "S3CRET-ID"
        let messages = [
            TestMessage(value: Fixtures.structured(data: #"{"patientId":"\#(secret)!","score":3}"#)),
            TestMessage(value: Fixtures.structured(data: #"{"patientId":"P-1","score":97}"#)),
            TestMessage(value: Fixtures.structured(type: "care.checkin.v1", data: #"{"patientId":"P-1","substanceUse":{"used":"heroin"}}"#)),
        ]
        for message in messages {
            guard case .failure(let failure) = Fixtures.decode(message) else { Issue.record("accepted"); continue }
            #expect(!failure.detail.contains(secret))
            #expect(!failure.detail.contains("97"))
            #expect(!failure.detail.contains("heroin"))
        }
        guard case .failure(let failure) = Fixtures.decode(messages[1]) else { return }
        #expect(failure.detail.contains("data.score"))
    }

    @Test("field rules: integers, ranges, enumerations")
    func fieldRules() {
        let invalid = [
            ("care.checkin.v1", #"{"patientId":"P-1","mood":5.5}"#),
            ("care.checkin.v1", #"{"patientId":"P-1","phq9Item9":4}"#),
            ("care.checkin.v1", #"{"patientId":"P-1","sleepHours":25}"#),
            ("care.checkin.v1", #"{"patientId":"P-1","withdrawal":{"scale":"XYZ","score":3}}"#),
            ("care.appointment.v1", #"{"patientId":"P-1","status":"late"}"#),
            ("care.enrollment.v1", #"{"patientId":"P-1","status":"active","checkinEveryHours":0}"#),
            ("care.alert-ack.v1", #"{"patientId":"P-1","alertId":"a","action":"ignored"}"#),
            ("care.craving.v1", #"{"patientId":"P-1","score":"high"}"#),
            ("care.craving.v1", #""just a string""#),
        ]
        for (type, data) in invalid {
            #expect(Fixtures.failureCode(TestMessage(value: Fixtures.structured(type: type, data: data))) == .schemaViolation, "\(data)")
        }
    }
}
