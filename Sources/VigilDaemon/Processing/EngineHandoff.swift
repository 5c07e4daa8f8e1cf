import Synchronization
import VigilCore

/// Hands a reloaded rule engine to the processing thread, which takes it between two events. The thread checks one
/// atomic per event; the lock is taken only when there is something to take.
final class EngineHandoff: Sendable {
    private let generation = Atomic<UInt64>(0)
    private let pending = Mutex<RuleEngine?>(nil)

    func offer(_ engine: RuleEngine) {
        pending.withLock { $0 = engine }
        generation.add(1, ordering: .releasing)
    }

    /// The newest engine offered since `seen`, and the generation to remember; nil when nothing new.
    func take(after seen: UInt64) -> (engine: RuleEngine, generation: UInt64)? {
        let current = generation.load(ordering: .acquiring)
        guard current != seen, let engine = pending.withLock({ $0 }) else { return nil }
        return (engine, current)
    }
}
