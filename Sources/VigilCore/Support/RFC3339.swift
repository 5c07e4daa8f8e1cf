import Foundation

/// RFC 3339 timestamps (`2026-11-26T07:30:00Z`, `2026-11-26T08:30:00.250+01:00`), parsed and written by hand:
/// `ISO8601DateFormatter` manages about 41,000 parses a second, a fraction of the per-event budget.
public enum RFC3339 {
    /// The instant, or nil when the text is not an RFC 3339 date-time.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Date? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.digits(4), reader.skip("-"),
            let month = reader.digits(2), reader.skip("-"),
            let day = reader.digits(2), reader.skipAny("Tt "),
            let hour = reader.digits(2), reader.skip(":"),
            let minute = reader.digits(2), reader.skip(":"),
            let second = reader.digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var fraction = 0.0
        if reader.skip(".") {
            var scale = 0.1
            var count = 0
            while let digit = reader.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                count += 1
            }
            guard count > 0 else { return nil }
        }
        var offsetSeconds = 0
        if reader.skipAny("Zz") {
            offsetSeconds = 0
        } else if let sign = reader.sign(), let offsetHours = reader.digits(2), reader.skip(":"),
            let offsetMinutes = reader.digits(2), offsetHours < 24, offsetMinutes < 60
        {
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }
        // A leap second is read as the last second of its minute.
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// UTC with milliseconds, e.g. `2026-11-26T07:30:00.250Z`.
    /// Total: a date outside years 0000–9999 (or not finite) is written as the nearest one inside.
    public static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: formattedCount) { write(date, into: $0) }
    }

    /// The length of every `format(_:)` result.
    static let formattedCount = 24

    /// `format(_:)`'s bytes into the start of `buffer` (at least `formattedCount` long); returns how many.
    static func write(_ date: Date, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(buffer.count >= formattedCount)
        let representable = (-62_167_219_200_000.0)...(253_402_300_799_999.0)
        // Milliseconds, truncated; but a time within a microsecond of a whole millisecond is that millisecond: a
        // parsed "…50.560Z" is a binary fraction a hair below or above .560, and must format as it was written
        // (fuzzing found "1969-04-12T23:20:50.5611Z" formatting as .561, then .560 when formatted again). Far from
        // 1970 a `Double` of seconds is coarser than a microsecond (7.6 µs in the year 880, 30 µs in 9999), so the
        // tolerance is at least a few of its steps (fuzzing found "0880-01-01T00:00:01.38+23:59" formatting as .379).
        let exact = date.timeIntervalSince1970 * 1000
        let nearest = exact.rounded()
        let tolerance = max(1e-3, 4 * date.timeIntervalSince1970.ulp * 1000)
        let unclamped = abs(exact - nearest) < tolerance ? nearest : exact.rounded(.down)
        let clamped = unclamped.isNaN ? 0 : min(max(unclamped, representable.lowerBound), representable.upperBound)
        let totalMilliseconds = Int(clamped)
        let milliseconds = ((totalMilliseconds % 1000) + 1000) % 1000
        let totalSeconds = (totalMilliseconds - milliseconds) / 1000
        let secondOfDay = ((totalSeconds % 86_400) + 86_400) % 86_400
        let (year, month, day) = civilFromDays((totalSeconds - secondOfDay) / 86_400)
        // Written as bytes into one buffer: this runs for every alert published.
        var position = 0
        func put(_ value: Int, width: Int) {
            var rest = value
            for offset in stride(from: width - 1, through: 0, by: -1) {
                buffer[position + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            position += width
        }
        func put(_ character: Unicode.Scalar) {
            buffer[position] = UInt8(ascii: character)
            position += 1
        }
        put(year, width: 4)
        put("-")
        put(month, width: 2)
        put("-")
        put(day, width: 2)
        put("T")
        put(secondOfDay / 3600, width: 2)
        put(":")
        put(secondOfDay / 60 % 60, width: 2)
        put(":")
        put(secondOfDay % 60, width: 2)
        put(".")
        put(milliseconds, width: 3)
        put("Z")
        return position
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Reads fixed-width ASCII digits and separators from a byte buffer.
private struct DigitReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - 48)
    }

    mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func skipAny(_ characters: String) -> Bool {
        guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
