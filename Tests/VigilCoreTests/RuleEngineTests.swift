import Foundation
import Testing
import VigilCore

@Suite("Rule engine: folding, cooldown, duplicates, discharge")
struct RuleEngineTests {
    let engine = RuleEngine(rules: [
        StubRule(id: "first", minimumScore: 8, severity: .high),
        StubRule(id: "second", minimumScore: 8, severity: .high),
        StubRule(id: "medium", minimumScore: 5, severity: .medium),
    ])

    @Test("one event, one alert: highest severity wins, ties go to the earlier rule, the rest are folded")
    func folding() throws {
        var state = PatientState()
        let result = engine.process(craving(9, at: 0), state: &state, detectedAt: Fixtures.now)
        let alert = try #require(result.alert)
        #expect(alert.rule == "first")
        #expect(alert.severity == .high)
        #expect(alert.alsoMatched == ["second", "medium"])
        #expect(result.suppressed == [.init(rule: "second", reason: .folded), .init(rule: "medium", reason: .folded)])
        #expect(alert.recommendedAction == "Contact the patient within 4 hours")
        #expect(alert.triggeredAt == Fixtures.now)
    }

    @Test("cooldown suppresses equal or lower severity; folded rules cool down too; it ends after the cooldown")
    func cooldown() {
        var state = PatientState()
        _ = engine.process(craving(9, at: 0), state: &state, detectedAt: Fixtures.now)
        let inside = engine.process(craving(9, at: 23), state: &state, detectedAt: Fixtures.now)
        #expect(inside.alert == nil)
        #expect(Set(inside.suppressed.map(\.rule)) == ["first", "second", "medium"])
        #expect(inside.suppressed.allSatisfy { $0.reason == .cooldown })
        let after = engine.process(craving(9, at: 24), state: &state, detectedAt: Fixtures.now)
        #expect(after.alert?.rule == "first")
    }

    @Test("a higher severity inside the cooldown alerts and starts a new cooldown")
    func upgrade() {
        let engine = RuleEngine(rules: [StubRule(id: "tiered", minimumScore: 5, severity: .medium), StubRule(id: "tiered-high", minimumScore: 9, severity: .high)])
        var state = PatientState()
        #expect(engine.process(craving(6, at: 0), state: &state, detectedAt: Fixtures.now).alert?.severity == .medium)
        #expect(engine.process(craving(9, at: 1), state: &state, detectedAt: Fixtures.now).alert?.severity == .high)
        #expect(engine.process(craving(9, at: 2), state: &state, detectedAt: Fixtures.now).alert == nil)
    }

    @Test("a duplicate (same source and id) is skipped and never alerts again")
    func duplicates() {
        let engine = RuleEngine(rules: [StubRule(id: "always", minimumScore: 0, severity: .high, cooldown: 0)])
        var state = PatientState()
        #expect(engine.process(craving(9, at: 0, id: "same"), state: &state, detectedAt: Fixtures.now).alert != nil)
        let again = engine.process(craving(9, at: 0, id: "same"), state: &state, detectedAt: Fixtures.now)
        #expect(again.isDuplicate)
        #expect(again.alert == nil)
        #expect(state.history.cravings.count == 1)
    }

    @Test("a discharged patient gets no alerts and loses its state until re-enrolled")
    func discharge() {
        var state = PatientState()
        _ = engine.process(craving(2, at: 0), state: &state, detectedAt: Fixtures.now)
        _ = engine.process(enrollment(.discharged, at: 1), state: &state, detectedAt: Fixtures.now)
        #expect(state.history.isEmpty)
        let silent = engine.process(craving(9, at: 2), state: &state, detectedAt: Fixtures.now)
        #expect(silent.alert == nil)
        #expect(silent.suppressed.contains(.init(rule: "first", reason: .discharged)))
        _ = engine.process(enrollment(.active, at: 3), state: &state, detectedAt: Fixtures.now)
        #expect(engine.process(craving(9, at: 4), state: &state, detectedAt: Fixtures.now).alert != nil)
    }

    @Test("history is kept only as long as the longest lookback")
    func pruning() {
        var state = PatientState()
        _ = engine.process(craving(1, at: 0), state: &state, detectedAt: Fixtures.now)
        _ = engine.process(craving(1, at: 10), state: &state, detectedAt: Fixtures.now)
        _ = engine.process(craving(1, at: 30), state: &state, detectedAt: Fixtures.now)
        #expect(state.history.cravings.map(\.time) == [Fixtures.now.addingTimeInterval(10 * 3600), Fixtures.now.addingTimeInterval(30 * 3600)])
    }

    @Test("out-of-order events are placed by event time")
    func ordering() {
        var state = PatientState()
        _ = engine.process(craving(1, at: 5), state: &state, detectedAt: Fixtures.now)
        _ = engine.process(craving(2, at: 1), state: &state, detectedAt: Fixtures.now)
        _ = engine.process(craving(3, at: 3), state: &state, detectedAt: Fixtures.now)
        #expect(state.history.cravings.map { state.history.score(of: $0) } == [2, 3, 1])
    }
}

@Suite("Deduplication outlives short lookbacks")
struct DeduplicationWindowTests {
    @Test("a redelivered event is recognised for at least seven days, even when no rule looks back that far")
    func shortLookback() {
        let engine = RuleEngine(rules: [StubRule(id: "instant", lookback: 0, minimumScore: 8, severity: .high, cooldown: 0)])
        var state = PatientState()
        #expect(engine.process(craving(9, at: 0, id: "e-1"), state: &state, detectedAt: Fixtures.now).alert != nil)
        _ = engine.process(craving(1, at: 24, id: "e-2"), state: &state, detectedAt: Fixtures.now)
        _ = engine.process(craving(1, at: 100, id: "e-3"), state: &state, detectedAt: Fixtures.now)
        #expect(engine.process(craving(9, at: 0, id: "e-1"), state: &state, detectedAt: Fixtures.now).isDuplicate)
    }
}
