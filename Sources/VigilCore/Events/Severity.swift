/// How urgently a care team should act on an alert; ordered from `low` to `critical`.
public enum Severity: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible, Codable {
    case low
    case medium
    case high
    case critical

    public init?(name: String) {
        guard let match = Severity.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// The wire name used in alerts and configuration.
    public var name: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    public var description: String { name }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}
