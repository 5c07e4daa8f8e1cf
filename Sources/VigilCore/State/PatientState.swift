import Foundation

/// Everything the engine keeps for one patient: history for the rules, processed event ids for deduplication,
/// cooldowns, absence timers and escalations, and whether the patient is discharged. It is what the daemon writes
/// to the state changelog and restores from it (`PatientStateCodec`); `Decodable` reads version-1 records.
///
/// Stored properties are declared widest first, so that the small ones share the timers' tail padding: 152 bytes a
/// patient instead of 176 (`StateMemoryLayoutTests` holds the bound).
public struct PatientState: Sendable, Equatable, Decodable {
    public var history = PatientHistory()
    /// The events already recorded, so that a redelivery is recognised.
    public internal(set) var processedEvents = ProcessedEvents()
    public internal(set) var cooldowns = RuleCooldowns()
    private var groupBox: AlertGroupBox?
    /// The latest event time seen for this patient: windows and pruning are measured from it.
    public internal(set) var latestEventTime = Date.distantPast
    /// When (in event time) pruning is next worth its cost.
    var nextPruneAt = Date.distantPast
    /// Absence timers and alerts awaiting acknowledgement.
    public internal(set) var timers = PatientTimers()
    /// The input partition the patient's events arrive on; lets an instance drop state for revoked partitions.
    public var partition: Int32?
    public internal(set) var isDischarged = false

    /// The patient's open alert group, if an alert opened one and no acknowledgement closed it since.
    public internal(set) var group: AlertGroup? {
        get { groupBox?.group }
        set { groupBox = newValue.map(AlertGroupBox.init) }
    }

    public init() {}

    /// Version-1 records (JSON) were written before alert groups: they restore with no open group.
    private enum CodingKeys: String, CodingKey {
        case history, processedEvents, cooldowns, timers, isDischarged, latestEventTime, partition, nextPruneAt
    }

    public struct Cooldown: Sendable, Equatable, Codable {
        /// Matches with an event time before this instant, at or below `severity`, are suppressed.
        public var until: Date
        public var severity: Severity
    }

    /// Processed event ids are remembered at least this long, whatever the rules' lookback, so that a redelivery
    /// or an integrator's retry days later is still recognised as a duplicate.
    static let minimumDeduplicationWindow: TimeInterval = 7 * 86_400

    /// Prunes history, processed ids and expired cooldowns that no rule can need any more. Runs when the patient's
    /// event time has moved on by a tenth of the retention since the last prune, not per event: rules check their
    /// own windows, so records kept a little longer change no decision, and rebuilding the collections on every
    /// event would cost more than the rules themselves.
    mutating func pruneIfDue(retention: TimeInterval) {
        guard latestEventTime >= nextPruneAt else { return }
        nextPruneAt = latestEventTime.addingTimeInterval(max(retention / 10, 60))
        let cutoff = latestEventTime.addingTimeInterval(-retention)
        history.prune(before: cutoff)
        let deduplicationCutoff = latestEventTime.addingTimeInterval(-max(retention, Self.minimumDeduplicationWindow))
        processedEvents.prune(before: deduplicationCutoff)
        cooldowns.removeExpired(before: cutoff)
    }
}
