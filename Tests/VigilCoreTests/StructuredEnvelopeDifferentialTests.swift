import Foundation
import Testing
@testable import VigilCore

/// The structured-mode envelope is read member by member, without a tree (`StructuredAttributes`). This checks it
/// against a reference that parses the whole value and looks attributes up in the tree, as the decoder did before,
/// over thousands of seeded mutations of valid events: the same code for every envelope failure, and the same
/// attributes whenever the envelope is valid.
@Suite("Structured envelope: member by member agrees with the whole tree")
struct StructuredEnvelopeDifferentialTests {
    static let seeds = [
        Fixtures.structured(),
        #"{"data":{"patientId":"P-1","score":9},"time":"2026-11-26T11:00:00.5+01:00","type":"care.craving.v1","source":"a\/b","id":"e\u0031","specversion":"1.0"}"#,
        #"{"specversion":"1.0","id":"x","id":"e-1","source":"s","type":"care.craving.v1","time":"2026-11-26T11:00:00Z","ext":[1,{"a":null}],"data":{"patientId":"P-1","score":9}}"#,
        #" { "specversion" : "1.0" , "\u0069d" : "e-2" , "source" : "s" , "type" : "care.craving.v1" , "time" : "2026-11-26T11:00:00Z" , "datacontenttype" : "Application/JSON; charset=utf-8" , "data" : {"patientId":"P-1","score":1.5e0} } "#,
    ]

    /// What the reference says of the envelope: a dead-letter code, or the attributes.
    enum Envelope: Equatable {
        case failure(DeadLetterCode)
        case valid(id: String, source: String, time: Date)
    }

    static func reference(_ bytes: [UInt8]) -> Envelope {
        guard let event = try? JSONParser.parse(bytes) else { return .failure(.malformedJSON) }
        guard event.isObject else { return .failure(.notCloudEvent) }
        // CloudEvents forbids control characters in string attributes.
        for name in ["specversion", "id", "source", "type", "time", "datacontenttype", "subject"] {
            if case .string(let text)? = event[name], text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                return .failure(.notCloudEvent)
            }
        }
        guard let specversion = event["specversion"] else { return .failure(.notCloudEvent) }
        guard case .string("1.0") = specversion else { return .failure(.unsupportedSpecVersion) }
        if let contentType = event["datacontenttype"] {
            guard case .string(let text) = contentType, text.lowercased().hasPrefix("application/json") else {
                return .failure(.schemaViolation)
            }
        }
        var attributes: [String] = []
        for name in ["id", "source", "type"] {
            guard case .string(let text) = event[name], !text.isEmpty else { return .failure(.notCloudEvent) }
            attributes.append(text)
        }
        guard case .string(let text) = event["time"], let time = RFC3339.parse(text) else { return .failure(.schemaViolation) }
        return .valid(id: attributes[0], source: attributes[1], time: time)
    }

    static func mutated(_ seed: String, random: inout SplitMix64) -> [UInt8] {
        var bytes = Array(seed.utf8)
        let alphabet = Array(#"{}[]":,\ -.0123456789aeilnrstuxyzE"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        for _ in 0...Int(random.next() % 3) {
            let index = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 3 {
            case 0: bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
            case 1: bytes.remove(at: index)
            default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: index)
            }
            if bytes.isEmpty { bytes = [UInt8(ascii: "{")] }
        }
        return bytes
    }

    @Test("the seeds are valid events")
    func seedsAreValid() throws {
        for seed in Self.seeds {
            let event = try Fixtures.decode(TestMessage(key: "P-1", value: seed)).get()
            #expect(Self.reference(Array(seed.utf8)) == .valid(id: event.id, source: event.source, time: event.time))
        }
    }

    @Test("20,000 seeded mutations: the same envelope verdict")
    func mutationsAgree() {
        var random = SplitMix64(seed: 7)
        let envelopeCodes: Set<DeadLetterCode> = [.malformedJSON, .notCloudEvent, .unsupportedSpecVersion]  // never after a valid envelope
        for round in 0..<20_000 {
            let bytes = Self.mutated(Self.seeds[round % Self.seeds.count], random: &random)
            let expected = Self.reference(bytes)
            let decoded = Fixtures.decode(TestMessage(key: "P-1", bytes: bytes))
            switch (expected, decoded) {
            case (.valid(let id, let source, let time), .success(let event)):
                #expect(event.id == id && event.source == source && event.time == time, "\(String(decoding: bytes, as: UTF8.self))")
            case (.valid, .failure(let failure)):
                // Later checks (type, data, key, clock) may still refuse it; the envelope may not.
                #expect(!envelopeCodes.contains(failure.code), "\(failure.code): \(String(decoding: bytes, as: UTF8.self))")
            case (.failure(let code), .failure(let failure)):
                // The envelope is checked before anything else the decoder checks.
                #expect(failure.code == code, "\(String(decoding: bytes, as: UTF8.self))")
            case (.failure(let code), .success):
                Issue.record("accepted, where the reference says \(code): \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }
}
