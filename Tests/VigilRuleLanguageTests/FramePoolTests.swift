import Synchronization
import Testing
@testable import VigilRuleLanguage

/// Processing threads share a rule's frames: each evaluation in progress at once gets a frame of its own.
@Suite struct FramePoolTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Frames in use at once, nested as concurrent evaluations would hold them, then all released.
    static func holding(_ count: Int, from pool: FramePool, _ held: [ObjectIdentifier] = []) -> [ObjectIdentifier] {
        guard held.count < count else { return held }
        return pool.withFrame { frame in holding(count, from: pool, held + [ObjectIdentifier(frame)]) }
    }

    @Test func evaluationsAtOnceGetFramesOfTheirOwnAndReuseThemAfterwards() {
        let made = Counter()
        let pool = FramePool {
            made.value.add(1, ordering: .relaxed)
            return Frame(parameters: [], lets: [], variableSlots: 0)
        }
        #expect(made.value.load(ordering: .relaxed) == FramePool.capacity)
        let atOnce = Self.holding(FramePool.capacity + 1, from: pool)
        #expect(Set(atOnce).count == FramePool.capacity + 1, "a frame lent twice at once")
        #expect(made.value.load(ordering: .relaxed) == FramePool.capacity + 1, "only the evaluation beyond the pool's frames makes one")
        // Released, the pooled frames are lent again; nothing more is made.
        #expect(Self.holding(FramePool.capacity, from: pool) == Array(atOnce.prefix(FramePool.capacity)))
        #expect(made.value.load(ordering: .relaxed) == FramePool.capacity + 1)
    }
}
