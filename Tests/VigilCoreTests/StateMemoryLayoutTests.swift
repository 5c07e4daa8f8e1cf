import Foundation
import Testing
@testable import VigilCore

/// Issue 7's memory targets depend on how patients' state is laid out in memory, which no behaviour test sees.
@Suite("Patient state in memory: cooldowns as a sorted array, lists that grow by an eighth")
struct StateMemoryLayoutTests {
    @Test("cooldowns stay sorted by rule id whatever the insertion order; set, replace, remove")
    func cooldownsSortedByRule() {
        var cooldowns = RuleCooldowns()
        let until = Fixtures.now
        cooldowns["missed-checkins"] = .init(until: until, severity: .medium)
        cooldowns["craving-spike"] = .init(until: until, severity: .high)
        cooldowns["substance-use"] = .init(until: until, severity: .critical)
        #expect(cooldowns.entries.map(\.rule) == ["craving-spike", "missed-checkins", "substance-use"])
        cooldowns["missed-checkins"] = .init(until: until.addingTimeInterval(60), severity: .high)
        #expect(cooldowns["missed-checkins"] == .init(until: until.addingTimeInterval(60), severity: .high))
        #expect(cooldowns.count == 3)
        cooldowns["craving-spike"] = nil
        cooldowns["never-set"] = nil
        #expect(cooldowns.entries.map(\.rule) == ["missed-checkins", "substance-use"])
        #expect(cooldowns["craving-spike"] == nil)
    }

    @Test("many cooldowns in any order end sorted, as a restore (in rule order) and the engine (in any order) add them")
    func manyCooldownsSorted() {
        let rules = (0..<200).map { "rule-\(String($0, radix: 7))" }
        var inOrder = RuleCooldowns()
        for rule in rules.sorted() { inOrder[rule] = .init(until: Fixtures.now, severity: .low) }
        var shuffled = RuleCooldowns()
        var generator = SplitMix64(seed: 7)
        for rule in rules.shuffled(using: &generator) { shuffled[rule] = .init(until: Fixtures.now, severity: .low) }
        #expect(inOrder.entries.map(\.rule) == rules.sorted())
        #expect(shuffled == inOrder)
    }

    @Test("expired cooldowns are forgotten, live ones kept")
    func expiredCooldownsRemoved() {
        var cooldowns: RuleCooldowns = [
            "a": .init(until: Fixtures.now.addingTimeInterval(-1), severity: .low),
            "b": .init(until: Fixtures.now.addingTimeInterval(1), severity: .low),
        ]
        cooldowns.removeExpired(before: Fixtures.now)
        #expect(cooldowns.entries.map(\.rule) == ["b"])
    }

    @Test("version-1 JSON cooldowns (a dictionary keyed by rule id) decode sorted")
    func version1Cooldowns() throws {
        let json = #"{"z":{"until":0,"severity":1},"a":{"until":60,"severity":2}}"#
        let cooldowns = try JSONDecoder().decode(RuleCooldowns.self, from: Data(json.utf8))
        #expect(cooldowns.entries.map(\.rule) == ["a", "z"])
        #expect(cooldowns["a"]?.severity == .high)
    }

    @Test("a patient's state takes 152 bytes: its small fields share the timers' tail padding")
    func patientStateSize() {
        #expect(MemoryLayout<PatientTimers>.size <= 51)
        // 144 before the history's table of unusual scores, which took 8 bytes off each of 20 craving records.
        #expect(MemoryLayout<PatientState>.stride <= 152)
    }

    @Test("a restored missed-checkins level beyond a byte is kept as 127, which alerts no further")
    func missedLevelClamped() {
        var timers = PatientTimers()
        timers.missedLevel = 2
        #expect(timers.missedLevel == 2)
        timers.missedLevel = 1_000
        #expect(timers.missedLevel == 127)
    }

    @Test("a patient's history and processed events grow by an eighth, not by doubling: 20 events take 20 slots and the allocator's rounding")
    func listsGrowByAnEighth() {
        var state = PatientState()
        for index in 0..<20 {
            let event = PatientEvent(
                id: "e-\(index)", source: "app", time: Fixtures.now.addingTimeInterval(Double(index)),
                patientId: "P-1", payload: .craving(Craving(score: 3, substance: "alcohol")))
            state.history.record(event)
            state.processedEvents.insert(.init(source: event.source, id: event.id), time: event.time)
        }
        // Doubling would leave 32 slots or more. Growth by an eighth asks for at most 22 (20 and an eighth), which
        // the allocator rounds up to its size class: an array asked for 22 slots gets that many.
        #expect(state.history.cravings.count == 20)
        #expect(state.history.cravings.capacity <= Self.capacity(of: [CravingRecord].self, askedFor: 22))
        #expect(state.processedEvents.entries.count == 20)
        #expect(state.processedEvents.entries.capacity <= Self.capacity(of: [ProcessedEvents.Entry].self, askedFor: 22))
        #expect(Self.capacity(of: [CravingRecord].self, askedFor: 22) < 32)
        #expect(Self.capacity(of: [ProcessedEvents.Entry].self, askedFor: 22) < 32)
    }

    /// The capacity an array gets when asked for `slots`: the allocator's rounding of the block (jemalloc's size
    /// classes in this process), which an array's capacity reflects.
    static func capacity<Element>(of _: [Element].Type, askedFor slots: Int) -> Int {
        var probe: [Element] = []
        probe.reserveCapacity(slots)
        return probe.capacity
    }

    @Test("a restored history longer than the reader's up-front reservation also grows by an eighth")
    func restoredLongHistoryGrowsByAnEighth() throws {
        var state = PatientState()
        for index in 0..<100 {
            state.history.record(PatientEvent(
                id: "e-\(index)", source: "app", time: Fixtures.now.addingTimeInterval(Double(index)), patientId: "P-1",
                payload: .craving(Craving(score: 3))))
        }
        let bytes = PatientStateCodec.encode(state)
        let restored = try #require(try bytes.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-1") })
        #expect(restored.history == state.history)
        // Doubling from the reservation of 64 would leave 128 slots or more; growth by an eighth asks for at most 112.
        #expect(restored.history.cravings.capacity <= Self.capacity(of: [CravingRecord].self, askedFor: 112))
        #expect(Self.capacity(of: [CravingRecord].self, askedFor: 112) < Self.capacity(of: [CravingRecord].self, askedFor: 128))
    }

    @Test("appending keeps records in event-time order when they grow")
    func growthKeepsOrder() {
        var history = PatientHistory()
        for index in (0..<40).reversed() {
            history.record(PatientEvent(
                id: "e-\(index)", source: "app", time: Fixtures.now.addingTimeInterval(Double(index)), patientId: "P-1",
                payload: .craving(Craving(score: Double(index % 10)))))
        }
        #expect(history.cravings.map(\.eventId) == (0..<40).map { "e-\($0)" })
    }

    @Test("a craving record takes 32 bytes: its substance is a number, common names shared by every patient")
    func cravingSubstanceNumbers() throws {
        #expect(MemoryLayout<CravingRecord>.stride == 32)
        var history = PatientHistory()
        let names: [String?] = ["ketamine", "kratom", nil, "alcohol", "datura", "salvia", "Ketamine"]
        for (index, name) in names.enumerated() {
            history.record(PatientEvent(
                id: "c-\(index)", source: "app", time: Fixtures.now.addingTimeInterval(Double(index)), patientId: "P-1",
                payload: .craving(Craving(score: 3, substance: name))))
        }
        #expect(history.cravings.map { history.substance(of: $0) } == names)

        let restored = try #require(try PatientStateCodec.encode(state(with: history)).withUnsafeBytes {
            try PatientStateCodec.decode($0, patientId: "P-1")
        })
        #expect(restored.history.cravings.map { restored.history.substance(of: $0) } == names)
        #expect(restored.history == history)

        // A prune forgets the unusual names no craving names any more (kratom) and renumbers the others; all still
        // read back, and a name forgotten and named again gets a number anew.
        history.prune(before: Fixtures.now.addingTimeInterval(4))
        #expect(history.cravings.map { history.substance(of: $0) } == ["datura", "salvia", "Ketamine"])
        let firstUncommon = UInt32(PatientHistory.commonSubstances.count + 1)
        #expect(history.cravings.map(\.substanceNumber) == [firstUncommon, firstUncommon + 1, firstUncommon + 2])
        history.record(PatientEvent(
            id: "c-again", source: "app", time: Fixtures.now.addingTimeInterval(10), patientId: "P-1",
            payload: .craving(Craving(score: 3, substance: "kratom"))))
        #expect(history.cravings.map { history.substance(of: $0) } == ["datura", "salvia", "Ketamine", "kratom"])
        #expect(history.cravings.last?.substanceNumber == firstUncommon + 3)
    }

    @Test("a craving's score is kept in hundredths, and any other score exactly in the patient's own table")
    func cravingScoreCodes() throws {
        let scores: [Double] = [7, 7.3, 7.25, 0, 10, 7.123456, 1e-9, -0.0, .pi, 7.3, 1e300, 7.123456]
        var history = PatientHistory()
        for (index, score) in scores.enumerated() {
            history.record(PatientEvent(
                id: "c-\(index)", source: "app", time: Fixtures.now.addingTimeInterval(Double(index)), patientId: "P-1",
                payload: .craving(Craving(score: score))))
        }
        func bits(_ history: PatientHistory) -> [UInt64] { history.cravings.map { history.score(of: $0).bitPattern } }
        #expect(bits(history) == scores.map(\.bitPattern))
        // Hundredths need no table; the same unusual score twice takes one entry.
        #expect(history.cravings[1].scoreCode == 730 && history.cravings[2].scoreCode == 725 && history.cravings[4].scoreCode == 1000)
        #expect(history.cravings[5].scoreCode >= 1 << 31 && history.cravings[7].scoreCode >= 1 << 31, "-0 keeps its sign")
        #expect(Set(history.cravings.map(\.scoreCode)).count == scores.count - 2)

        let restored = try #require(try PatientStateCodec.encode(state(with: history)).withUnsafeBytes {
            try PatientStateCodec.decode($0, patientId: "P-1")
        })
        #expect(bits(restored.history) == scores.map(\.bitPattern))
        #expect(restored.history == history)

        // A prune forgets the unusual scores no craving has any more and renumbers the others in order of use.
        history.prune(before: Fixtures.now.addingTimeInterval(6))
        #expect(bits(history) == scores[6...].map(\.bitPattern))
        let unusual: UInt32 = 1 << 31
        let expectedCodes: [UInt32] = [unusual, unusual + 1, unusual + 2, 730, unusual + 3, unusual + 4]
        #expect(history.cravings.map(\.scoreCode) == expectedCodes)
        history.record(PatientEvent(
            id: "c-again", source: "app", time: Fixtures.now.addingTimeInterval(20), patientId: "P-1", payload: .craving(Craving(score: 7.123456))))
        #expect(history.cravings.last?.scoreCode == unusual + 4, "7.123456 is still in the table")
        #expect(history.score(of: history.cravings[history.cravings.count - 1]) == 7.123456)
    }

    @Test("a prune compacts the substance and score tables together, each by its own codes")
    func bothTablesCompacted() {
        var history = PatientHistory()
        let cravings: [(score: Double, substance: String?)] = [(7.123, "kratom"), (3, "datura"), (6.001, nil), (4.5, "datura"), (9.999, "salvia")]
        for (index, craving) in cravings.enumerated() {
            history.record(PatientEvent(
                id: "c-\(index)", source: "app", time: Fixtures.now.addingTimeInterval(Double(index)), patientId: "P-1",
                payload: .craving(Craving(score: craving.score, substance: craving.substance))))
        }
        history.prune(before: Fixtures.now.addingTimeInterval(1))
        #expect(history.cravings.map { history.score(of: $0) } == [3, 6.001, 4.5, 9.999])
        #expect(history.cravings.map { history.substance(of: $0) } == ["datura", nil, "datura", "salvia"])
        let firstUncommon = UInt32(PatientHistory.commonSubstances.count + 1)
        #expect(history.cravings.map(\.substanceNumber) == [firstUncommon, 0, firstUncommon, firstUncommon + 1])
        let unusual: UInt32 = 1 << 31
        #expect(history.cravings.map(\.scoreCode) == [300, unusual, 450, unusual + 1])
    }

    @Test("histories that named their substances in another order are equal when their records are")
    func historyEqualityComparesNames() {
        func history(_ order: [String]) -> PatientHistory {
            var history = PatientHistory()
            for name in order {
                history.record(PatientEvent(
                    id: "c-\(name)", source: "app", time: Fixtures.now.addingTimeInterval(name == "kratom" ? 0 : 10), patientId: "P-1",
                    payload: .craving(Craving(score: 3, substance: name))))
            }
            return history
        }
        // Both end as [kratom at 0 s, salvia at 10 s], with the names numbered in opposite orders.
        #expect(history(["salvia", "kratom"]) == history(["kratom", "salvia"]))
        #expect(history(["salvia", "kratom"]).cravings != history(["kratom", "salvia"]).cravings, "the numbers differ")
        var other = history(["kratom", "salvia"])
        other.record(PatientEvent(id: "c-x", source: "app", time: Fixtures.now, patientId: "P-1", payload: .craving(Craving(score: 3, substance: "datura"))))
        #expect(history(["salvia", "kratom"]) != other)
    }

    private func state(with history: PatientHistory) -> PatientState {
        var state = PatientState()
        state.history = history
        return state
    }
}
