import Foundation

/// Where the daemon reads the wall clock: timers (absence rules, escalation) and `detectedAt`. Injectable so that
/// tests can move time on without waiting for it.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
