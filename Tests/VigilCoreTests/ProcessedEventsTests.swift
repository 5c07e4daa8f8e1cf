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
        // 96 bits are kept: the top half of the low word, which the changelog stores with zeros below it.
        let fingerprint = ProcessedEvents.Fingerprint(source: "app", id: "c-1")
        #expect(fingerprint.high == 0x669a_a73e_7e4f_f78d && fingerprint.low == 0xa80c_53d8)
        #expect(fingerprint.lowWord == 0xa80c_53d8_0000_0000)
    }

    @Test("an entry takes 16 bytes and keeps its event time to the second below, clamped to 1933...2069")
    func compactEntries() {
        #expect(MemoryLayout<ProcessedEvents.Entry>.stride == 16)
        var events = ProcessedEvents()
        let fingerprint = ProcessedEvents.Fingerprint(source: "app", id: "c-1")
        events.insert(fingerprint, time: Date(timeIntervalSinceReferenceDate: 1000.75))
        events.insert(.init(source: "app", id: "far"), time: Date(timeIntervalSinceReferenceDate: 1e12))
        events.insert(.init(source: "app", id: "early"), time: Date(timeIntervalSinceReferenceDate: -1e12))
        #expect(events.entries.map(\.time.timeIntervalSinceReferenceDate) == [1000, Double(Int32.max), Double(Int32.min)])
        #expect(events.entries[0].fingerprint == fingerprint)
        #expect(events.contains(fingerprint))
    }

    @Test("contains what was inserted, forgets what lies before a cutoff")
    func insertAndPrune() {
        var events = ProcessedEvents()
        events.insert(.init(source: "app", id: "old"), time: Fixtures.now.addingTimeInterval(-3600))
        events.insert(.init(source: "app", id: "new"), time: Fixtures.now)
        #expect(events.contains(source: "app", id: "old"))
        #expect(events.contains(source: "app", id: "new"))
        #expect(!events.contains(source: "ehr", id: "new"))
        events.prune(before: Fixtures.now.addingTimeInterval(-60))
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
