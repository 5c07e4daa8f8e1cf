import Foundation

/// Everything the engine keeps for one patient: history for the rules, processed event ids for deduplication,
/// cooldowns, and whether the patient is discharged.
public struct PatientState: Sendable {
    public var history = PatientHistory()
    /// `source` + `id` of processed events, with their event time so they can be pruned with the history.
    var processedEvents: [String: Date] = [:]
    public internal(set) var cooldowns: [String: Cooldown] = [:]
    public internal(set) var isDischarged = false
    /// The latest event time seen for this patient: windows and pruning are measured from it.
    public internal(set) var latestEventTime = Date.distantPast
    /// The input partition the patient's events arrive on; lets an instance drop state for revoked partitions.
    public var partition: Int32?

    public init() {}

    public struct Cooldown: Sendable, Equatable {
        /// Matches with an event time before this instant, at or below `severity`, are suppressed.
        public var until: Date
        public var severity: Severity
    }

    static func eventKey(source: String, id: String) -> String { source + "\u{1F}" + id }

    /// Prunes history, processed ids and expired cooldowns that no rule can need any more.
    mutating func prune(retention: TimeInterval) {
        let cutoff = latestEventTime.addingTimeInterval(-retention)
        history.prune(before: cutoff)
        processedEvents = processedEvents.filter { $0.value >= cutoff }
        cooldowns = cooldowns.filter { $0.value.until > cutoff }
    }
}
