import Foundation

/// The measurements of one `vigil bench` run; a nil field was not measured in this mode.
public struct BenchmarkReport: Sendable {
    public var events = 0
    public var patients = 0
    /// From `vigil_events_consumed_total`, timed from the first consumed event (start-up and group join excluded).
    public var eventsPerSecond: Double?
    public var alerts = 0
    /// Backlog mode: receipt of the triggering event to the broker's acknowledgement of its alert.
    /// Live mode: publication of the event to the alert's arrival at an independent reader.
    public var latency: Latency?
    /// Resident set size high-water mark of the whole process (broker included when embedded).
    public var peakMemoryMegabytes = 0.0
    /// Growth of the resident set while the pipeline took in the backlog, per patient held. With the embedded
    /// broker it includes what the broker stores meanwhile: measure against a separate broker (`--brokers`).
    public var rssBytesPerPatient: Double?
    /// Growth of the resident set once the backlog is processed and its state written (the allocator's free pages
    /// returned first), per patient: what holding the patients costs.
    public var heldBytesPerPatient: Double?
    public var restore: Restore?
    public var crash: Crash?

    public struct Latency: Sendable {
        public var kind: String
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var maxMilliseconds: Double
    }

    public struct Restore: Sendable {
        public var records: Int
        public var patients: Int
        public var seconds: Double
        public var meanRecordBytes: Double
        public var patientsPerSecond: Double { Double(patients) / max(seconds, 0.000_001) }
    }

    public struct Crash: Sendable {
        /// Alert messages on the alerts topic after the crash and the takeover.
        public var alertMessages: Int
        /// Distinct alert ids among them.
        public var distinctAlerts: Int
        public var redelivered: Int { alertMessages - distinctAlerts }
    }

    public var text: String {
        var lines = ["events:          \(events)", "patients:        \(patients)"]
        if let eventsPerSecond { lines.append("events/s:        \(Int(eventsPerSecond.rounded()))") }
        lines.append("alerts:          \(alerts)")
        if let latency {
            lines.append("latency p50:     \(Self.ms(latency.p50Milliseconds)) ms (\(latency.kind))")
            lines.append("latency p99:     \(Self.ms(latency.p99Milliseconds)) ms")
            lines.append("latency max:     \(Self.ms(latency.maxMilliseconds)) ms")
        }
        lines.append("peak memory:     \(String(format: "%.1f", peakMemoryMegabytes)) MiB (max RSS)")
        if let rssBytesPerPatient { lines.append("RSS/patient:     \(Int(rssBytesPerPatient.rounded())) bytes (growth while taking in the backlog)") }
        if let heldBytesPerPatient { lines.append("held/patient:    \(Int(heldBytesPerPatient.rounded())) bytes (resident set held once idle, free memory trimmed)") }
        if let restore {
            lines.append("restore:         \(Int(restore.patientsPerSecond.rounded())) patients/s (\(restore.patients) patients, \(restore.records) records in \(String(format: "%.3f", restore.seconds)) s)")
            lines.append("state record:    \(String(format: "%.1f", restore.meanRecordBytes)) bytes (mean)")
        }
        if let crash {
            lines.append("crash:           \(crash.alertMessages) alert messages for \(crash.distinctAlerts) alerts (\(crash.redelivered) redelivered)")
        }
        return lines.joined(separator: "\n")
    }

    private static func ms(_ value: Double) -> String { String(format: "%.2f", value) }
}
