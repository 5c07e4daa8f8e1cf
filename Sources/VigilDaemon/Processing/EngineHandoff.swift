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

    /// The newest engine offered since generation `seen`, which it advances; nil when nothing new. Taking it
    /// empties the slot: the handoff holds no engine the loop already runs.
    func take(after seen: inout UInt64) -> RuleEngine? {
        let current = generation.load(ordering: .acquiring)
        guard current != seen else { return nil }
        seen = current
        return pending.withLock { slot -> RuleEngine? in
            defer { slot = nil }
            return slot
        }
    }
}
