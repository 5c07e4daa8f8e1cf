import Foundation

/// Patients by the instant their next timer comes due: a binary min-heap with lazy deletion, so that firing timers
/// costs work in proportion to the timers that come due, never a scan of every patient.
///
/// Each patient has at most one live entry, its latest `schedule`. Rescheduling pushes a new entry and leaves the
/// old one in the heap, where `popDue` recognises and drops it (its instant no longer matches). When stale entries
/// outnumber live ones the heap is rebuilt, so memory stays proportional to the patients scheduled.
struct TimerIndex<Key: Hashable & Comparable> {
    private struct Entry {
        var due: Date
        var key: Key
    }

    private var heap: [Entry] = []
    /// The live due instant of each scheduled key.
    private var scheduled: [Key: Date] = [:]

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

    /// Removes and returns the keys due at or before `now`, earliest first (ties in key order).
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

    mutating func removeAll() {
        heap.removeAll()
        scheduled.removeAll()
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
        heap = scheduled.map { Entry(due: $0.value, key: $0.key) }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
    }
}
