import Foundation

/// The events a patient's state already records, for deduplication: each event's identity (CloudEvents `source`
/// and `id`) as a 128-bit fingerprint, with its event time so that it is pruned with the history.
///
/// A fingerprint and a time take 24 bytes an event, where a dictionary of the two strings took about a hundred
/// (issue 7's memory target for patients with a long history). 128 bits keep an accidental collision, which would
/// drop an event as a duplicate, below 10⁻³⁰ for any patient's lifetime of events. Entries stay in the order they
/// were recorded; a lookup scans from the newest, where redeliveries are found.
public struct ProcessedEvents: Sendable, Equatable {
    /// FNV-1a (128 bits) over `source`, a separator and `id`: stable across releases and processes, because the
    /// state changelog stores it (`PatientStateCodec` version 3).
    public struct Fingerprint: Sendable, Hashable {
        public var high: UInt64
        public var low: UInt64
    }

    public struct Entry: Sendable, Hashable {
        public var fingerprint: Fingerprint
        public var time: Date
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// The same events at the same times, in whatever order they were recorded or restored.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.entries.count == rhs.entries.count && Set(lhs.entries) == Set(rhs.entries)
    }

    public var count: Int { entries.count }

    public func contains(_ fingerprint: Fingerprint) -> Bool {
        entries.reversed().contains { $0.fingerprint == fingerprint }
    }

    public func contains(source: String, id: String) -> Bool {
        contains(Fingerprint(source: source, id: id))
    }

    public mutating func insert(_ fingerprint: Fingerprint, time: Date) {
        entries.reserveCapacityForOneMore()
        entries.append(Entry(fingerprint: fingerprint, time: time))
    }

    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// Forgets the events before `cutoff` in event time.
    mutating func prune(before cutoff: Date) {
        if entries.contains(where: { $0.time < cutoff }) { entries.removeAll { $0.time < cutoff } }
    }
}

/// Version-1 records (JSON) hold the identities themselves: `processedEvents` as the synthesized `Codable` form of
/// a dictionary keyed by `{source, id}`, which is read and fingerprinted.
extension ProcessedEvents: Decodable {
    private struct Identity: Hashable, Decodable {
        var source: String
        var id: String
    }

    public init(from decoder: any Decoder) throws {
        let identities = try [Identity: Date](from: decoder)
        entries = identities.map { Entry(fingerprint: Fingerprint(source: $0.key.source, id: $0.key.id), time: $0.value) }
            .sorted { $0.time < $1.time }
    }
}

extension ProcessedEvents.Fingerprint {
    public init(source: String, id: String) {
        var hash = FNV1a128()
        hash.addField(source)
        hash.add(id)
        self.init(high: UInt64(truncatingIfNeeded: hash.value >> 64), low: UInt64(truncatingIfNeeded: hash.value))
    }
}
