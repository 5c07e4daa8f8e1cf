import Testing
import VigilCore

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test("values of every kind")
    func values() throws {
        let value = try parse(#" {"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d\"\\\/\n\u00e9\ud83d\ude00"}} "#)
        #expect(value["a"] == .array([.number(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"] == .string("d\"\\/\né😀"))
    }

    @Test("rejects what RFC 8259 rejects", arguments: [
        "", "{", "[1,]", #"{"a":1,}"#, "01", "1.", "-", "tru", #""abc"#, "\"a\u{01}b\"", #""\x""#, #""\ud800""#, "{} {}", "NaN", #"{'a':1}"#,
    ])
    func rejects(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test("deep nesting is refused, not a crash")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
    }

    @Test("invalid UTF-8 is refused, valid non-ASCII text is kept", arguments: [
        [0x22, 0xFF, 0xFE, 0x22], [0x22, 0xC3, 0xA9, 0xFF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
    ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) throws {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
        #expect(try JSONParser.parse(Array("\"caf\u{e9} \u{1F600}\"".utf8)) == .string("caf\u{e9} \u{1F600}"))
    }

    @Test("strings end, escape and fail alike wherever the special byte lies")
    func stringsAtEveryPosition() throws {
        for length in 0..<40 {
            for position in 0...length {
                let before = String(repeating: "a", count: position)
                let after = String(repeating: "b", count: length - position)
                #expect(try parse("\"\(before)\\n\(after)\"") == .string(before + "\n" + after))
                #expect(try parse("\"\(before)é\(after)\"") == .string(before + "é" + after))
                #expect(try parse("[\"\(before)\",\"\(after)\"]") == .array([.string(before), .string(after)]))
                #expect(throws: JSONParser.Failure.self) { try parse("\"\(before)\u{1}\(after)\"") }
                #expect(try parse("\"\(before)\u{7f}\(after)\"") == .string(before + "\u{7f}" + after))
                #expect(throws: JSONParser.Failure.self) { try parse("\"\(before)\(after)") }
                // Invalid UTF-8 anywhere is refused, however the scan found the string's end.
                var invalid = Array("\"\(before)".utf8) + [0xC3] + Array("\(after)\"".utf8)
                #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(invalid) }
                invalid = Array("\"\(before)".utf8) + [0xFF, 0x41] + Array("\(after)\"".utf8)
                #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(invalid) }
            }
        }
    }
}
