import Foundation
import PropertyBased
import Testing
@testable import VigilCore

/// The decoder is total: whatever the bytes and headers, it returns an event or a dead-letter code, and its detail
/// names what was wrong without quoting the message.
@Suite("Properties: the event decoder")
struct DecoderProperties {
    /// A value planted in every clinical field: it must never appear in a failure's detail.
    static let marker = "Zq7marker"

    static let valid = [
        Fixtures.structured(data: #"{"patientId":"P-1","score":9,"substance":"\#(marker)"}"#),
        Fixtures.structured(type: "care.checkin.v1", data: #"{"patientId":"P-1","mood":3,"substanceUse":{"used":true,"substances":["\#(marker)"]},"notes":"\#(marker)"}"#),
        Fixtures.structured(type: "care.appointment.v1", data: #"{"patientId":"P-1","status":"missed"}"#),
        Fixtures.structured(type: "care.enrollment.v1", data: #"{"patientId":"P-1","status":"active","checkinEveryHours":24}"#),
        Fixtures.structured(type: "care.alert-ack.v1", data: #"{"patientId":"P-1","alertId":"a","action":"acknowledged","reason":"\#(marker)"}"#),
    ]

    /// Byte-level damage to a valid event: flips, insertions of JSON-significant or invalid bytes, deletions, cuts.
    static func damaged(_ text: String, _ seeds: [UInt64]) -> [UInt8] {
        var bytes = Array(text.utf8)
        for seed in seeds {
            var random = SplitMix64(seed: seed)
            guard !bytes.isEmpty else { break }
            let at = Int(random.next() % UInt64(bytes.count))
            let significant: [UInt8] = Array(#"{}[]",:\"0-.eE"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xED, 0xF4, 0xFF]
            switch random.next() % 4 {
            case 0: bytes[at] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            case 1: bytes.insert(significant[Int(random.next() % UInt64(significant.count))], at: at)
            case 2: bytes.remove(at: at)
            default: bytes.removeSubrange(at...)
            }
        }
        return bytes
    }

    @Test("a damaged structured event decodes or dead-letters with a contract code, never quoting a clinical value")
    func structuredDamage() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 0...(Self.valid.count - 1)), Gen.uint64().array(of: 1...6)) { index, seeds in
            let bytes = Self.damaged(Self.valid[index], seeds)
            switch Fixtures.decode(TestMessage(bytes: bytes, headers: Fixtures.structuredHeaders)) {
            case .success(let event):
                #expect(event.patientId == "P-1", "an event is only ever taken for the message's key")
            case .failure(let failure):
                #expect(DeadLetterCode.allCases.contains(failure.code))
                #expect(!failure.detail.isEmpty)
                #expect(!failure.detail.contains(Self.marker), "the detail quoted a value: \(failure.detail)")
            }
        }
    }

    @Test("binary mode with arbitrary ce_ headers and body decodes or dead-letters, never quoting a value")
    func binaryHeaders() async {
        let attribute = Gen.element(of: ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type", "ce_datacontenttype"]).map { $0! }
        let value = Gen.element(of: ["1.0", "0.3", "care.craving.v1", "app://x", "2026-11-26T11:00:00Z", "application/json", "", "\u{0}", "\(Self.marker)\u{7}", "2026-13-45T99:99:99Z", Self.marker]).map { $0! }
        let headers = zip(attribute, value).array(of: 0...10)
        await propertyCheck(count: 1000, input: headers, Gen.uint64().array(of: 0...4)) { headers, seeds in
            let body = seeds.isEmpty ? Array(#"{"patientId":"P-1","score":4}"#.utf8) : Self.damaged(#"{"patientId":"P-1","score":4,"substance":"\#(Self.marker)"}"#, seeds)
            switch Fixtures.decode(TestMessage(bytes: body, headers: headers.map { ($0.0, $0.1) })) {
            case .success(let event):
                #expect(event.patientId == "P-1")
            case .failure(let failure):
                #expect(!failure.detail.isEmpty)
                #expect(!failure.detail.contains(Self.marker), "the detail quoted a value: \(failure.detail)")
            }
        }
    }
}
