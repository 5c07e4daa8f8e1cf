import Foundation

/// How summaries write windows: `6 h`, `72 h`, `7 days`; `14-day` and `72-hour` before a noun.
enum Wording {
    static func duration(_ seconds: TimeInterval) -> String {
        let (count, unit) = split(seconds)
        switch unit {
        case .day: return count == 1 ? "1 day" : "\(count) days"
        case .hour: return "\(count) h"
        case .minute: return "\(count) min"
        case .second: return "\(count) s"
        }
    }

    static func durationAdjective(_ seconds: TimeInterval) -> String {
        let (count, unit) = split(seconds)
        return "\(count)-\(unit.rawValue)"
    }

    private enum Unit: String { case day, hour, minute, second }

    /// Whole days from a week up (shorter windows read better in hours: `72 h`), else hours, minutes or seconds.
    private static func split(_ seconds: TimeInterval) -> (Int, Unit) {
        if seconds >= .days(7), seconds.truncatingRemainder(dividingBy: .days(1)) == 0 { return (Int(seconds / .days(1)), .day) }
        if seconds >= .hours(1), seconds.truncatingRemainder(dividingBy: .hours(1)) == 0 { return (Int(seconds / .hours(1)), .hour) }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return (Int(seconds / 60), .minute) }
        return (Int(seconds), .second)
    }
}
