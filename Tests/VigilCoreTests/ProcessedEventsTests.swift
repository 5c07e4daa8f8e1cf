import Foundation
import Testing
@testable import VigilCore

@Suite("Processed events: fingerprints for deduplication")
struct ProcessedEventsTests {
    @Test("a fingerprint is FNV-1a 128 of source, a separator and id: stable, because the changelog stores it")
    func stableFingerprint() {
        // Computed independently (Python, the FNV-1a reference constants).
        #expect(ProcessedEvents.Fingerprint(source: "app", id: "c-1") == .init(high: 0x669a_a73e_7e4f_f78d, lowWord: 0xa80c_53d8_2105_f070))
        #expect(ProcessedEvents.Fingerprint(source: "ab", id: "c") != ProcessedEvents.Fingerprint(source: "a", id: "bc"))
        // 80 bits are kept: the top 16 of the low word, which the changelog stores with zeros below them.
        let fingerprint = ProcessedEvents.Fingerprint(source: "app", id: "c-1")
        #expect(fingerprint.high == 0x669a_a73e_7e4f_f78d && fingerprint.low == 0xa80c)
        #expect(fingerprint.lowWord == 0xa80c_0000_0000_0000)
        // Records written with more of the low word (version 3 kept 128 bits, version 4 at first 96) still match.
        #expect(ProcessedEvents.Fingerprint(high: 0x669a_a73e_7e4f_f78d, lowWord: 0xa80c_53d8_0000_0000) == fingerprint)
        #expect(ProcessedEvents.Fingerprint(high: 0x669a_a73e_7e4f_f78d, lowWord: 0xa80d_0000_0000_0000) != fingerprint)
    }

    @Test("an entry takes 12 bytes and keeps its event time rounded up to the day, clamped to 1911...2090")
    func compactEntries() {
        #expect(MemoryLayout<ProcessedEvents.Entry>.stride == 12)
        var events = ProcessedEvents()
        let fingerprint = ProcessedEvents.Fingerprint(source: "app", id: "c-1")
        let day = 86_400.0
        events.insert(fingerprint, time: Date(timeIntervalSinceReferenceDate: 3 * day + 1000.75))
        events.insert(.init(source: "app", id: "midnight"), time: Date(timeIntervalSinceReferenceDate: -2 * day))
        events.insert(.init(source: "app", id: "far"), time: Date(timeIntervalSinceReferenceDate: 1e12))
        events.insert(.init(source: "app", id: "early"), time: Date(timeIntervalSinceReferenceDate: -1e12))
        #expect(events.entries.map(\.time.timeIntervalSinceReferenceDate) == [4 * day, -2 * day, Double(Int16.max) * day, Double(Int16.min) * day])
        #expect(events.entries[0].fingerprint == fingerprint)
        #expect(events.contains(fingerprint))
        // A restore gives back the entry's own time, which stays the same day.
        #expect(ProcessedEvents.Entry(fingerprint: fingerprint, time: events.entries[0].time) == events.entries[0])
    }

    @Test("contains what was inserted, forgets what lies before a cutoff, a day late at most")
    func insertAndPrune() {
        var events = ProcessedEvents()
        let day = 86_400.0
        events.insert(.init(source: "app", id: "old"), time: Fixtures.now.addingTimeInterval(-3 * day))
        events.insert(.init(source: "app", id: "new"), time: Fixtures.now)
        #expect(events.contains(source: "app", id: "old"))
        #expect(events.contains(source: "app", id: "new"))
        #expect(!events.contains(source: "ehr", id: "new"))
        events.prune(before: Fixtures.now.addingTimeInterval(-3 * day + 60))
        #expect(events.contains(source: "app", id: "old"))
        events.prune(before: Fixtures.now.addingTimeInterval(-day - 1))
        #expect(!events.contains(source: "app", id: "old"))
        #expect(events.contains(source: "app", id: "new"))
        #expect(events.count == 1)
    }

    @Test("equality ignores the order events were recorded or restored in")
    func orderInsensitiveEquality() {
        var forward = ProcessedEvents()
        var backward = ProcessedEvents()
        forward.insert(.init(source: "a", id: "1"), time: Fixtures.now)
        forward.insert(.init(source: "a", id: "2"), time: Fixtures.now)
        backward.insert(.init(source: "a", id: "2"), time: Fixtures.now)
        backward.insert(.init(source: "a", id: "1"), time: Fixtures.now)
        #expect(forward == backward)
        backward.insert(.init(source: "a", id: "3"), time: Fixtures.now)
        #expect(forward != backward)
    }
}
