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

    /// Tokens are handed out in sequence, so the records are kept by token in an array, `slots[i]` holding token
    /// `firstToken + i`: no hashing on the three look-ups of every output (a dictionary by token was ~3% of the
    /// loop). An acknowledged record leaves a nil until every earlier one is acknowledged too; the leading nils are
    /// then dropped.
    private var slots: [Entry?] = []
    /// The token `slots[0]` holds.
    private var firstToken: UInt64 = 1
    /// The first slot that may still hold a record; every slot before it is nil.
    private var head = 0
    /// Records in `slots` (the rest of `count` is in `heldBack`).
    private var inSlots = 0
    /// Records moved out of `slots` because they held up its front while most records after them were acknowledged
    /// (a delivery retried for minutes, say): so that the table keeps only about twice the records that wait.
    private var heldBack: [UInt64: Entry] = [:]
    private(set) var count = 0
    private var nextToken: UInt64 = 1
    /// Failed deliveries waiting for their back-off, in the order they failed; those before `retriesHead` are done.
    private var retries: [(token: UInt64, due: Date)] = []
    private var retriesHead = 0
    /// Records whose delivery failed and has not succeeded since: publishing is healthy when this is empty.
    private(set) var failing: Set<UInt64> = []
    /// Bytes of the records awaiting acknowledgement: what bounds memory under backpressure, with `count`.
    private(set) var bytes = 0

    static let capacityKeptWhenEmpty = 1024
    /// Acknowledged slots kept at the front (or among the records) before the table is compacted.
    static let acknowledgedSlotsKept = 1024

    var capacity: Int { slots.capacity }
    /// The table's slots, acknowledged ones included: what it spends memory on, with `heldBack`. At most about
    /// twice the records waiting in it, plus `acknowledgedSlotsKept` (its capacity is what its peak needed).
    var tableSize: Int { slots.count }

    /// Makes room for `additional` more records at once (a checkpoint's state writes), instead of growing the
    /// table step by step; geometrically, as appending would.
    mutating func reserveCapacity(forAdditional additional: Int) {
        let needed = slots.count + additional
        if needed > slots.capacity { slots.reserveCapacity(Swift.max(needed, 2 * slots.capacity)) }
    }

    /// Gives a large table back once empty: an array keeps its largest size, and a checkpoint of 50,000 state
    /// writes would hold megabytes for good. Called when the loop is idle, not on every emptying, so that a busy
    /// loop does not build the table afresh for each checkpoint.
    mutating func releaseSpareCapacity() {
        guard count == 0 else { return }
        resetTable()
        if slots.capacity > Self.capacityKeptWhenEmpty { slots = [] }
        // A dictionary keeps its largest size too.
        if heldBack.capacity > 0 { heldBack = [:] }
    }

    /// The side table's capacity, for tests.
    var heldBackCapacity: Int { heldBack.capacity }

    var isEmpty: Bool { count == 0 }

    /// Registers `record` and returns its token, which the producer's delivery report carries back.
    mutating func add(_ record: OutboundRecord, checkpoint: UInt64, receivedAt: UInt64? = nil) -> UInt64 {
        // A table that holds nothing starts afresh at this token.
        if inSlots == 0 { resetTable() }
        let token = nextToken
        nextToken += 1
        slots.append(Entry(record: record, checkpoint: checkpoint, receivedAt: receivedAt))
        inSlots += 1
        count += 1
        bytes += record.byteCount
        return token
    }

    func record(_ token: UInt64) -> OutboundRecord? { entry(token)?.record }

    /// The checkpoint `token`'s record belongs to (0 for state writes, which the transaction or the checkpoint
    /// that wrote them completes).
    func checkpoint(of token: UInt64) -> UInt64? { entry(token)?.checkpoint }

    /// The broker acknowledged `token`: forgets it and returns what it was (nil for an unknown or forgotten token).
    mutating func acknowledged(_ token: UInt64) -> Entry? {
        let entry: Entry
        if let index = slot(of: token), let inTable = slots[index] {
            entry = inTable
            slots[index] = nil
            inSlots -= 1
        } else if !heldBack.isEmpty, let held = heldBack.removeValue(forKey: token) {
            entry = held
        } else {
            return nil
        }
        count -= 1
        bytes -= entry.record.byteCount
        if !failing.isEmpty { failing.remove(token) }
        compact()
        return entry
    }

    private func entry(_ token: UInt64) -> Entry? {
        if let index = slot(of: token), let entry = slots[index] { return entry }
        return heldBack.isEmpty ? nil : heldBack[token]
    }

    private func slot(of token: UInt64) -> Int? {
        guard token >= firstToken + UInt64(head), token - firstToken < UInt64(slots.count) else { return nil }
        return Int(token - firstToken)
    }

    /// Moves `head` past acknowledged records; once acknowledged slots are more than `acknowledgedSlotsKept` and
    /// than the records in the table, removes them: the leading ones when they are at least half (a shift of the
    /// rest), else, when most lie among records that wait behind one held up at the front, by moving those records
    /// to `heldBack`. Either way the work is paid for by the slots dropped (amortised constant time a record), and
    /// the table keeps at most about twice its records plus `acknowledgedSlotsKept`.
    private mutating func compact() {
        while head < slots.count, slots[head] == nil { head += 1 }
        while true {
            let acknowledgedSlots = slots.count - inSlots
            guard acknowledgedSlots > Self.acknowledgedSlotsKept, acknowledgedSlots > inSlots else { return }
            guard 2 * head < acknowledgedSlots else {
                slots.removeFirst(head)
                firstToken += UInt64(head)
                head = 0
                continue
            }
            for index in head..<slots.count {
                if let entry = slots[index] { heldBack[firstToken + UInt64(index)] = entry }
            }
            resetTable()
            return
        }
    }

    /// Empties the table, keeping its storage, to start at the next token.
    private mutating func resetTable() {
        slots.removeAll(keepingCapacity: true)
        firstToken = nextToken
        head = 0
        inSlots = 0
    }

    /// The delivery of `token` failed: it is produced again at `now + backoff`.
    mutating func failed(_ token: UInt64, now: Date, backoff: TimeInterval) {
        guard record(token) != nil else { return }
        failing.insert(token)
        retries.append((token, now.addingTimeInterval(backoff)))
    }

    /// The records whose back-off ended by `now`, oldest failure first, with their tokens.
    mutating func takeDueRetries(now: Date) -> [(token: UInt64, record: OutboundRecord)] {
        guard retriesHead < retries.count, retries[retriesHead].due <= now else { return [] }
        var end = retriesHead
        while end < retries.count, retries[end].due <= now { end += 1 }
        let due = retries[retriesHead..<end].compactMap { retry in record(retry.token).map { (retry.token, $0) } }
        retriesHead = end
        // The done prefix goes once it is the larger part (shifting the rest every call was quadratic when many
        // deliveries failed at different times).
        if retriesHead * 2 > retries.count {
            retries.removeFirst(retriesHead)
            retriesHead = 0
        }
        return due
    }

    /// Forgets everything (after a revoke or a stop): what was not acknowledged is redelivered from the input to
    /// the partitions' next owner. Late delivery reports for these tokens are then ignored.
    mutating func removeAll() {
        resetTable()
        heldBack.removeAll()
        count = 0
        retries.removeAll()
        retriesHead = 0
        failing.removeAll()
        bytes = 0
    }

    /// Whether the bookkeeping agrees with the records held, for tests.
    var invariantsHold: Bool {
        let inTable = slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        let heldBytes = slots.reduce(0) { $0 + ($1?.record.byteCount ?? 0) } + heldBack.values.reduce(0) { $0 + $1.record.byteCount }
        return inTable == inSlots && count == inSlots + heldBack.count && bytes == heldBytes
            && heldBack.keys.allSatisfy { $0 < firstToken } && slots[..<head].allSatisfy { $0 == nil }
            && (slots.isEmpty || firstToken + UInt64(slots.count) == nextToken)
            && slots.count <= 2 * inSlots + Self.acknowledgedSlotsKept + 1
    }
}
