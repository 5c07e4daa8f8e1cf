import Foundation
import Testing
@testable import VigilCore

@Suite("Processed events: fingerprints for deduplication")
struct ProcessedEventsTests {
    @Test("a fingerprint is FNV-1a 128 of source, a separator and id: stable, because the changelog stores it")
    func stableFingerprint() {
        // Computed independently (Python, the FNV-1a reference constants).
        #expect(ProcessedEvents.Fingerprint(source: "app", id: "c-1") == .init(high: 0x669a_a73e_7e4f_f78d, low: 0xa80c_53d8_2105_f070))
        #expect(ProcessedEvents.Fingerprint(source: "ab", id: "c") != ProcessedEvents.Fingerprint(source: "a", id: "bc"))
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
