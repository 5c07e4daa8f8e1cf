import Foundation

/// Durations as written in configuration: a whole number and a unit, `500ms`, `90s`, `15m`, `24h`, `7d`.
public enum DurationText {
    /// The longest duration accepted, 100 years: longer ones are typing mistakes, and would overflow the whole
    /// numbers that durations are printed in.
    public static let maximumSeconds: TimeInterval = 100 * 365 * 86_400

    public static func seconds(_ text: String) -> TimeInterval? {
        let units: [(suffix: String, seconds: TimeInterval)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let value = Int(number), value >= 0 else { return nil }
            let seconds = TimeInterval(value) * unit.seconds
            return seconds <= maximumSeconds ? seconds : nil
        }
        return nil
    }

    /// The shortest exact text for a number of seconds, e.g. `86400` → `24h`.
    public static func text(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, abs(seconds) <= maximumSeconds * 10 else { return "\(seconds)s" }
        for (suffix, unit) in [("d", 86_400.0), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= unit && seconds.truncatingRemainder(dividingBy: unit) == 0 {
            return "\(Int(seconds / unit))\(suffix)"
        }
        return "\(Int(seconds * 1000))ms"
    }
}
