import Foundation
import VigilCore

/// Patients by the instant their next timer comes due: a binary min-heap with lazy deletion, so that firing timers
/// costs work in proportion to the timers that come due, never a scan of every patient.
///
/// Each patient has at most one live entry, its latest `schedule`. Rescheduling pushes a new entry and leaves the
/// old one in the heap, where `popDue` recognises and drops it (its instant no longer matches). When stale entries
/// outnumber live ones the heap is rebuilt, so memory stays proportional to the patients scheduled.
///
/// `Table` keeps each key's live due instant: a dictionary, or for an index of nearly every patient held (idle
/// patients) a `SlotDueTable`, an array indexed by slot.
struct TimerIndex<Table: DueTable> {
    typealias Key = Table.Key

    private struct Entry {
        var due: Date
        var key: Key
    }

    private var heap: [Entry] = []
    /// The live due instant of each scheduled key.
    private var scheduled = Table()

    /// Keys with a live entry.
    var count: Int { scheduled.count }

    /// The earliest live due instant, nil when nothing is scheduled.
    mutating func nextDue() -> Date? {
        dropStaleTop()
        return heap.first?.due
    }

    func due(of key: Key) -> Date? { scheduled[key] }

    /// Schedules `key` at `due`, replacing its earlier schedule; nil unschedules it.
    mutating func schedule(_ key: Key, at due: Date?) {
        guard let due else { return cancel(key) }
        // One lookup: most events leave a patient's due instant as it was.
        guard scheduled.updateValue(due, forKey: key) != due else { return }
        push(Entry(due: due, key: key))
        if heap.count > 2 * scheduled.count + 64 { rebuild() }
    }

    mutating func cancel(_ key: Key) {
        scheduled[key] = nil
    }

    /// Removes and returns the keys due at or before `now`, earliest first (ties in key order: for patient slots,
    /// the order of the slots, not of the patients' ids).
    mutating func popDue(upTo now: Date) -> [Key] {
        var keys: [Key] = []
        while true {
            dropStaleTop()
            guard let top = heap.first, top.due <= now else { return keys }
            popTop()
            scheduled[top.key] = nil
            keys.append(top.key)
        }
    }

    // MARK: Heap

    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        (a.due, a.key) < (b.due, b.key)
    }

    private mutating func dropStaleTop() {
        while let top = heap.first, scheduled[top.key] != top.due { popTop() }
    }

    private mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(from: 0)
    }

    private mutating func siftDown(from index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var first = parent
            if left < heap.count, Self.precedes(heap[left], heap[first]) { first = left }
            if right < heap.count, Self.precedes(heap[right], heap[first]) { first = right }
            if first == parent { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }

    private mutating func rebuild() {
        heap = []
        heap.reserveCapacity(scheduled.count)
        scheduled.forEachScheduled { key, due in heap.append(Entry(due: due, key: key)) }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
    }
}

/// Where a `TimerIndex` keeps each key's live due instant.
protocol DueTable {
    associatedtype Key: Hashable & Comparable
    init()
    /// Keys scheduled.
    var count: Int { get }
    subscript(key: Key) -> Date? { get set }
    /// Sets `key`'s due instant; returns the one it replaced.
    mutating func updateValue(_ due: Date, forKey key: Key) -> Date?
    func forEachScheduled(_ body: (Key, Date) -> Void)
}

extension Dictionary: DueTable where Key: Comparable, Value == Date {
    func forEachScheduled(_ body: (Key, Date) -> Void) {
        for (key, due) in self { body(key, due) }
    }
}

/// Due instants by patient slot, in an array: 8 bytes a slot and no hashing, for an index that holds nearly every
/// patient (a dictionary took ~30 bytes a patient).
struct SlotDueTable: DueTable {
    /// Seconds since 2001 by slot index; NaN where nothing is scheduled.
    private var dues: [Double] = []
    private(set) var count = 0

    subscript(slot: PatientSlot) -> Date? {
        get {
            let index = Int(slot.index)
            guard index < dues.count, !dues[index].isNaN else { return nil }
            return Date(timeIntervalSinceReferenceDate: dues[index])
        }
        set {
            if let newValue { _ = updateValue(newValue, forKey: slot) } else { remove(slot) }
        }
    }

    mutating func updateValue(_ due: Date, forKey slot: PatientSlot) -> Date? {
        let index = Int(slot.index)
        if index >= dues.count { dues.append(contentsOf: repeatElement(.nan, count: index + 1 - dues.count)) }
        let previous = dues[index]
        dues[index] = due.timeIntervalSinceReferenceDate
        if previous.isNaN {
            count += 1
            return nil
        }
        return Date(timeIntervalSinceReferenceDate: previous)
    }

    private mutating func remove(_ slot: PatientSlot) {
        let index = Int(slot.index)
        guard index < dues.count, !dues[index].isNaN else { return }
        dues[index] = .nan
        count -= 1
    }

    func forEachScheduled(_ body: (PatientSlot, Date) -> Void) {
        for (index, due) in dues.enumerated() where !due.isNaN {
            body(PatientSlot(Int32(index)), Date(timeIntervalSinceReferenceDate: due))
        }
    }
}
