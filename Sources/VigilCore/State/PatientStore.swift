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

    /// Reads or changes a patient's state in place, without copying its collections (the subscript's getter
    /// copies); nil, without calling `body`, for a patient not held.
    public mutating func withExistingState<Result>(of patientId: String, _ body: (inout PatientState) -> Result) -> Result? {
        guard let index = patients.index(forKey: patientId) else { return nil }
        return body(&patients.values[index])
    }

    public subscript(patientId: String) -> PatientState? {
        get { patients[patientId] }
        set { patients[patientId] = newValue }
    }

    /// Makes room for the patients a restore of `records` changelog records may bring: as many, up to
    /// `restoreReservationLimit` (about the caseload an instance is sized for; at most ~55 MB reserved). A changelog
    /// not yet compacted holds many records a patient (every checkpoint that changed one wrote it), so beyond that
    /// the store grows as patients arrive instead of reserving ~220 bytes for every record.
    public mutating func reserveCapacity(forRecords records: Int) {
        patients.reserveCapacity(patients.count + min(records, Self.restoreReservationLimit))
    }

    public static let restoreReservationLimit = 262_144

    /// Forgets the patients whose events arrive on the given partitions (after a rebalance takes them away);
    /// returns their ids.
    @discardableResult
    public mutating func drop(partitions: Set<Int32>) -> [String] {
        let dropped = patients.compactMap { patientId, state in state.partition.map(partitions.contains) == true ? patientId : nil }
        for patientId in dropped { patients[patientId] = nil }
        return dropped
    }

    /// The partitions that some patient in memory arrives on.
    public var partitions: Set<Int32> { Set(patients.values.compactMap(\.partition)) }
}
