import Foundation

/// The configured parameters of one rule, as written in the configuration file, with typed readers that validate
/// them. A rule reads what it knows, then `finish()` refuses anything left unread (a misspelt parameter must not be
/// silently ignored in a clinical system).
public struct RuleSettings: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case bool(Bool)
        case number(Double)
        case string(String)
        case list([Value])
    }

    public let rule: String
    private let values: [String: Value]
    private var read: Set<String> = []

    /// The parameters as configured (for `vigil run --print-config`).
    public var configured: [String: Value] { values }

    public init(rule: String, values: [String: Value] = [:]) {
        self.rule = rule
        self.values = values
    }

    private func error(_ parameter: String, _ reason: String) -> RuleConfigurationError {
        RuleConfigurationError(rule: rule, parameter: parameter, reason: reason)
    }

    public mutating func bool(_ name: String, default value: Bool) throws(RuleConfigurationError) -> Bool {
        read.insert(name)
        guard let configured = values[name] else { return value }
        guard case .bool(let flag) = configured else { throw error(name, "must be true or false") }
        return flag
    }

    public mutating func number(_ name: String, default value: Double, in range: ClosedRange<Double>) throws(RuleConfigurationError) -> Double {
        read.insert(name)
        guard let configured = values[name] else { return value }
        guard case .number(let number) = configured, range.contains(number) else {
            throw error(name, "must be a number from \(range.lowerBound.compact) to \(range.upperBound.compact)")
        }
        return number
    }

    public mutating func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws(RuleConfigurationError) -> Int {
        read.insert(name)
        guard let configured = values[name] else { return value }
        guard case .number(let number) = configured, number.rounded() == number,
            Double(range.lowerBound) <= number, number <= Double(range.upperBound)
        else { throw error(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return Int(number)
    }

    /// A duration written `90s`, `15m`, `24h` or `7d`; returned in seconds.
    public mutating func duration(_ name: String, default value: TimeInterval) throws(RuleConfigurationError) -> TimeInterval {
        read.insert(name)
        guard let configured = values[name] else { return value }
        guard case .string(let text) = configured, let seconds = DurationText.seconds(text) else {
            throw error(name, "must be a duration such as 90s, 15m, 24h or 7d")
        }
        return seconds
    }

    public mutating func severity(_ name: String) throws(RuleConfigurationError) -> Severity? {
        read.insert(name)
        guard let configured = values[name] else { return nil }
        guard case .string(let text) = configured, let severity = Severity(name: text) else {
            throw error(name, "must be one of low, medium, high, critical")
        }
        return severity
    }

    public mutating func strings(_ name: String, default value: [String]) throws(RuleConfigurationError) -> [String] {
        read.insert(name)
        guard let configured = values[name] else { return value }
        guard case .list(let elements) = configured else { throw error(name, "must be a list of strings") }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw error(name, "must be a list of strings") }
            strings.append(text.lowercased())
        }
        return strings
    }

    /// A configured value as written, without marking it read.
    public func value(_ name: String) -> Value? { values[name] }

    /// The settings as text in a fixed order (parameters sorted by name), for hashing a configuration.
    public var canonicalText: String {
        values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ";")
    }

    /// Throws for the first configured parameter that no reader asked for.
    public func finish() throws(RuleConfigurationError) {
        if let unknown = values.keys.sorted().first(where: { !read.contains($0) }) {
            throw error(unknown, "unknown parameter")
        }
    }
}
