import Foundation

/// Every output handed to the producer and not yet acknowledged by the broker: alerts, dead-letter copies and
/// state writes. A record stays here until its delivery report says it landed, so that a delivery librdkafka gave
/// up on is produced again after a back-off instead of being skipped. Owned by the processing thread.
///
/// Each record carries the checkpoint it belongs to; the checkpoint's input offsets are committed only once all
/// of its records are acknowledged (see `Checkpointer`).
struct OutboundQueue {
    struct Entry {
        var record: OutboundRecord
        var checkpoint: UInt64
        /// When the input that caused an alert was received (monotonic nanoseconds), for latency reporting.
        var receivedAt: UInt64?
    }

    private var entries: [UInt64: Entry] = [:]
    private var nextToken: UInt64 = 1
    /// Failed deliveries waiting for their back-off, in the order they failed.
    private var retries: [(token: UInt64, due: Date)] = []
    /// Records whose delivery failed and has not succeeded since: publishing is healthy when this is empty.
    private(set) var failing: Set<UInt64> = []
    /// Bytes of the records awaiting acknowledgement: what bounds memory under backpressure, with `count`.
    private(set) var bytes = 0

    static let capacityKeptWhenEmpty = 1024

    var count: Int { entries.count }
    var capacity: Int { entries.capacity }

    /// Makes room for `additional` more records at once (a checkpoint's state writes), instead of growing the
    /// table step by step.
    mutating func reserveCapacity(forAdditional additional: Int) {
        entries.reserveCapacity(entries.count + additional)
    }

    /// Gives a large table back once empty. A dictionary keeps its largest size: a checkpoint of 50,000 state
    /// writes would hold ~13 MB for good. Called when the loop is idle, not on every emptying, so that a busy
    /// loop does not build the table afresh for each checkpoint.
    mutating func releaseSpareCapacity() {
        if entries.isEmpty, entries.capacity > Self.capacityKeptWhenEmpty { entries = [:] }
    }
    var isEmpty: Bool { entries.isEmpty }

    /// Registers `record` and returns its token, which the producer's delivery report carries back.
    mutating func add(_ record: OutboundRecord, checkpoint: UInt64, receivedAt: UInt64? = nil) -> UInt64 {
        let token = nextToken
        nextToken += 1
        entries[token] = Entry(record: record, checkpoint: checkpoint, receivedAt: receivedAt)
        bytes += record.byteCount
        return token
    }

    func record(_ token: UInt64) -> OutboundRecord? { entries[token]?.record }

    /// The checkpoint `token`'s record belongs to (0 for state writes, which the transaction or the checkpoint
    /// that wrote them completes).
    func checkpoint(of token: UInt64) -> UInt64? { entries[token]?.checkpoint }

    /// The broker acknowledged `token`: forgets it and returns what it was (nil for an unknown or forgotten token).
    mutating func acknowledged(_ token: UInt64) -> Entry? {
        guard let entry = entries.removeValue(forKey: token) else { return nil }
        bytes -= entry.record.byteCount
        failing.remove(token)
        return entry
    }

    /// The delivery of `token` failed: it is produced again at `now + backoff`.
    mutating func failed(_ token: UInt64, now: Date, backoff: TimeInterval) {
        guard entries[token] != nil else { return }
        failing.insert(token)
        retries.append((token, now.addingTimeInterval(backoff)))
    }

    /// The records whose back-off ended by `now`, oldest failure first, with their tokens.
    mutating func takeDueRetries(now: Date) -> [(token: UInt64, record: OutboundRecord)] {
        guard let first = retries.first, first.due <= now else { return [] }
        let splitAt = retries.firstIndex { $0.due > now } ?? retries.endIndex
        let due = retries[..<splitAt].compactMap { retry in entries[retry.token].map { (retry.token, $0.record) } }
        retries.removeFirst(splitAt)
        return due
    }

    /// Forgets everything (after a revoke or a stop): what was not acknowledged is redelivered from the input to
    /// the partitions' next owner. Late delivery reports for these tokens are then ignored.
    mutating func removeAll() {
        entries.removeAll()
        retries.removeAll()
        failing.removeAll()
        bytes = 0
    }
}
