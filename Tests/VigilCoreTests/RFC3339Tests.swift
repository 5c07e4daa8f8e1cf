import Foundation
import Testing
import VigilCore

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("parses UTC, offsets and fractions")
    func parses() {
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(RFC3339.parse("2026-11-26T07:30:00.250Z") == Date(timeIntervalSince1970: 1_795_678_200.25))
        #expect(RFC3339.parse("2026-11-26T08:30:00+01:00") == RFC3339.parse("2026-11-26T07:30:00Z"))
        #expect(RFC3339.parse("2024-02-29T23:59:59-05:30") == RFC3339.parse("2024-03-01T05:29:59Z"))
    }

    @Test("rejects what is not a date-time", arguments: [
        "2026-11-26", "2026-11-26T07:30:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-26T24:00:00Z",
        "2026-11-26T07:30:00.Z", "2026-11-26T07:30:00+1:00", "26-11-26T07:30:00Z", "2026-11-26T07:30:00Zjunk",
    ])
    func rejects(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("formats in UTC with milliseconds and reads back")
    func roundTrip() {
        let date = Date(timeIntervalSince1970: 1_795_678_200.25)
        #expect(RFC3339.format(date) == "2026-11-26T07:30:00.250Z")
        #expect(RFC3339.parse(RFC3339.format(date)) == date)
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }

    @Test("formatting is total: dates outside years 0000–9999 are written as the nearest inside")
    func formatIsTotal() {
        #expect(RFC3339.format(.distantFuture) == "4001-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1e15)) == "9999-12-31T23:59:59.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1e15)) == "0000-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: .infinity)) == "9999-12-31T23:59:59.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00.000Z")
    }

    @Test("a JSON writer's time field is the formatted date, quoted, for ordinary and clamped dates alike")
    func writerTimeField() {
        let dates = [
            Date(timeIntervalSince1970: 1_795_678_200.25), Date(timeIntervalSince1970: -1), .distantFuture,
            Date(timeIntervalSince1970: -1e15), Date(timeIntervalSince1970: .nan),
        ]
        for date in dates {
            var direct = JSONWriter()
            direct.beginObject()
            direct.field("time", time: date)
            direct.field("next", 1)
            direct.endObject()
            var viaString = JSONWriter()
            viaString.beginObject()
            viaString.field("time", RFC3339.format(date))
            viaString.field("next", 1)
            viaString.endObject()
            #expect(direct.bytes == viaString.bytes)
            #expect(RFC3339.format(date).utf8.count == 24)
        }
    }
}
