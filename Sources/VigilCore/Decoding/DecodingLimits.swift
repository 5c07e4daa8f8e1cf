/// Limits applied to inbound events before they reach the rules.
public struct DecodingLimits: Sendable, Equatable {
    /// Largest accepted message value in bytes; larger ones are dead-lettered as `too-large`. Default 64 KiB.
    public var maxEventBytes: Int
    /// How far an event's time may lie ahead of the daemon's clock, in seconds, before it is dead-lettered as
    /// `time-in-future`. Default 5 minutes.
    public var maxClockSkew: Double

    public init(maxEventBytes: Int = 65_536, maxClockSkew: Double = 300) {
        self.maxEventBytes = maxEventBytes
        self.maxClockSkew = maxClockSkew
    }
}
