/// The measurements of one `vigil bench` run.
public struct BenchmarkReport: Sendable {
    public var events: Int
    /// From `vigil_events_consumed_total`, timed from the first consumed event (start-up and group join excluded).
    public var eventsPerSecond: Double
    public var alerts: Int
    /// Receipt of the triggering event to the broker's acknowledgement of its alert.
    public var latencyP50Milliseconds: Double
    public var latencyP99Milliseconds: Double
    /// Resident set size high-water mark of the whole process (broker included when embedded).
    public var peakMemoryMegabytes: Double

    public var text: String {
        """
        events:          \(events)
        events/s:        \(Int(eventsPerSecond.rounded()))
        alerts:          \(alerts)
        latency p50:     \(String(format: "%.2f", latencyP50Milliseconds)) ms (event receipt to alert acknowledged)
        latency p99:     \(String(format: "%.2f", latencyP99Milliseconds)) ms
        peak memory:     \(String(format: "%.1f", peakMemoryMegabytes)) MiB (max RSS)
        """
    }
}
