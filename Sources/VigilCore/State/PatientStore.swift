import Foundation

/// The state of every patient this instance currently owns, keyed by patient id. Owned by one processing loop;
/// not shared across threads.
public struct PatientStore: Sendable {
    public private(set) var patients: [String: PatientState] = [:]

    public init() {}

    public var count: Int { patients.count }

    public mutating func withState<Result>(of patientId: String, _ body: (inout PatientState) -> Result) -> Result {
        body(&patients[patientId, default: PatientState()])
    }

    public subscript(patientId: String) -> PatientState? {
        get { patients[patientId] }
        set { patients[patientId] = newValue }
    }

    /// Forgets the patients whose events arrive on the given partitions (after a rebalance takes them away).
    public mutating func drop(partitions: Set<Int32>) {
        patients = patients.filter { _, state in state.partition.map { !partitions.contains($0) } ?? true }
    }

    /// The partitions that some patient in memory arrives on.
    public var partitions: Set<Int32> { Set(patients.values.compactMap(\.partition)) }

    /// Forgets patients with no event within `retention` of the newest event time seen by this instance,
    /// so that memory follows the active caseload rather than every patient ever seen; returns them (with their
    /// partition) so that their durable state can be dropped too. A discharged patient is kept (a flag and no
    /// history) so that a late event cannot restart monitoring.
    @discardableResult
    public mutating func evictIdle(retention: TimeInterval) -> [(patientId: String, partition: Int32?)] {
        guard let newest = patients.values.map(\.latestEventTime).max() else { return [] }
        let cutoff = newest.addingTimeInterval(-retention)
        let idle = patients.filter { $0.value.latestEventTime < cutoff && !$0.value.isDischarged }
        for patientId in idle.keys { patients[patientId] = nil }
        return idle.map { ($0.key, $0.value.partition) }
    }
}
