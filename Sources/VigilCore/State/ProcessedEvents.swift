import Foundation

/// The events a patient's state already records, for deduplication: each event's identity (CloudEvents `source`
/// and `id`) as an 80-bit fingerprint, with its event time rounded up to whole days so that it is pruned with the
/// history (a day late at most: the deduplication window is a week or more anyway).
///
/// An entry takes 12 bytes, where a dictionary of the two strings took about a hundred and a 128-bit fingerprint
/// with a `Date` took 24 (issue 7's memory target for patients with a long history). A collision would drop an
/// event as a duplicate: an event is compared only with its own patient's remembered events, so with 10⁴ of those
/// and 10¹² events in all the chance of one anywhere stays below 10⁻⁸. Entries stay in the order they were
/// recorded; a lookup scans from the newest, where redeliveries are found.
public struct ProcessedEvents: Sendable, Equatable {
    /// FNV-1a (128 bits) over `source`, a separator and `id`, of which the high 80 bits are kept: stable across
    /// releases and processes, because the state changelog stores it (`PatientStateCodec` version 3 and later).
    public struct Fingerprint: Sendable, Hashable {
        /// The hash's high 64 bits.
        public var high: UInt64
        /// The top 16 bits of the hash's low 64.
        public var low: UInt16

        /// From the hash's two 64-bit halves, as the changelog stores them; the low half's bottom 48 bits are dropped.
        public init(high: UInt64, lowWord: UInt64) {
            self.high = high
            self.low = UInt16(truncatingIfNeeded: lowWord >> 48)
        }

        init(high: UInt64, low: UInt16) {
            self.high = high
            self.low = low
        }

        /// The low 64 bits as the changelog stores them, the bits not kept as zeros.
        public var lowWord: UInt64 { UInt64(low) << 48 }
    }

    public struct Entry: Sendable, Hashable {
        // Four-byte fields, so that an entry takes 12 bytes rather than being aligned to 16.
        private var fingerprintTop: UInt32
        private var fingerprintMiddle: UInt32
        private var fingerprintLow: UInt16
        /// The first midnight (UTC) at or after the event, in days since 2001 (`Date`'s reference), clamped to
        /// 1911...2090: pruning needs no more (an event dated after 2090 is kept until the patient's events pass 2090).
        private var days: Int16

        init(fingerprint: Fingerprint, time: Date) {
            fingerprintTop = UInt32(truncatingIfNeeded: fingerprint.high >> 32)
            fingerprintMiddle = UInt32(truncatingIfNeeded: fingerprint.high)
            fingerprintLow = fingerprint.low
            let day = (time.timeIntervalSinceReferenceDate / Self.secondsPerDay).rounded(.up)
            days = day.isNaN ? 0 : Int16(min(max(day, Double(Int16.min)), Double(Int16.max)))
        }

        private static let secondsPerDay = 86_400.0

        public var fingerprint: Fingerprint {
            Fingerprint(high: UInt64(fingerprintTop) << 32 | UInt64(fingerprintMiddle), low: fingerprintLow)
        }

        /// The first midnight (UTC) at or after the event.
        public var time: Date { Date(timeIntervalSinceReferenceDate: Double(days) * Self.secondsPerDay) }

        func matches(_ fingerprint: Fingerprint) -> Bool {
            fingerprintLow == fingerprint.low && fingerprintMiddle == UInt32(truncatingIfNeeded: fingerprint.high)
                && fingerprintTop == UInt32(truncatingIfNeeded: fingerprint.high >> 32)
        }
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// The same events at the same times, in whatever order they were recorded or restored.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.entries.count == rhs.entries.count && Set(lhs.entries) == Set(rhs.entries)
    }

    public var count: Int { entries.count }

    public func contains(_ fingerprint: Fingerprint) -> Bool {
        entries.reversed().contains { $0.matches(fingerprint) }
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
        self.init(high: UInt64(truncatingIfNeeded: hash.value >> 64), lowWord: UInt64(truncatingIfNeeded: hash.value))
    }
}
