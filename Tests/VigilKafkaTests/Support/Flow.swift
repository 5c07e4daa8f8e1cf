import Foundation

/// Shared progress of a producer and consumers running on their own threads, with waits on conditions (never
/// fixed sleeps). `@unchecked Sendable`: every access holds the condition's lock.
final class Flow: @unchecked Sendable {
    struct State {
        var produced = 0
        var consumed = Set<UInt64>()
        var handedOver = 0
        var flags = Set<String>()
    }

    private let condition = NSCondition()
    private var state = State()

    func update(_ body: (inout State) -> Void) {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        body(&state)
    }

    func read<T>(_ body: (State) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body(state)
    }

    func raise(_ flag: String) { update { _ = $0.flags.insert(flag) } }
    func isRaised(_ flag: String) -> Bool { read { $0.flags.contains(flag) } }

    /// Waits until `predicate` holds; false if `deadline` passed first.
    func wait(until deadline: ContinuousClock.Instant, _ predicate: (State) -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !predicate(state) {
            guard ContinuousClock.now < deadline else { return false }
            // Woken by every update; the timeout only re-checks the deadline.
            _ = condition.wait(until: Date().addingTimeInterval(0.1))
        }
        return true
    }
}
