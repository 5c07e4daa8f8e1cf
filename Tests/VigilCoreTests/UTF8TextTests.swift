import Testing
@testable import VigilCore

@Suite("UTF8Text: control characters")
struct UTF8TextTests {
    /// U+0000–U+001F and U+007F–U+009F, as CloudEvents forbids them in string attributes.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    @Test("a string and its UTF-8 bytes agree with the scalar definition, for every scalar up to U+07FF and some beyond")
    func stringAndBytesAgree() {
        let scalars = (0...0x7FF).compactMap(Unicode.Scalar.init) + ["\u{FFFD}", "\u{1F600}", "\u{10FFFF}", "\u{2028}"]
        for scalar in scalars {
            // Short (a small string) and long (a heap string) alike.
            for text in ["a\(scalar)b", String(repeating: "x", count: 40) + "\(scalar)"] {
                let expected = Self.isControl(scalar)
                #expect(UTF8Text.containsControlCharacter(text) == expected, "U+\(String(scalar.value, radix: 16))")
                var bytes = Array(text.utf8)
                #expect(bytes.withUnsafeMutableBytes { UTF8Text.containsControlCharacter(UnsafeRawBufferPointer($0)) } == expected)
            }
        }
        #expect(!UTF8Text.containsControlCharacter(""))
    }
}
