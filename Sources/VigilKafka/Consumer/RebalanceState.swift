import Synchronization

/// The consumer's side of rebalancing: the caller's handler, and what `poll` needs to notice an assignment that
/// changed in the middle of a batch.
final class RebalanceState: Sendable {
    let handler: @Sendable (RebalanceEvent) -> Void

    private struct State {
        var assignment: Set<TopicPartition> = []
        var changedDuringPoll = false
    }

    private let state = Mutex(State())

    init(handler: @escaping @Sendable (RebalanceEvent) -> Void) {
        self.handler = handler
    }

    func assigned(_ partitions: [TopicPartition]) {
        state.withLock {
            $0.assignment.formUnion(partitions)
            $0.changedDuringPoll = true
        }
    }

    func revoked(_ partitions: [TopicPartition]) {
        state.withLock {
            $0.assignment.subtract(partitions)
            $0.changedDuringPoll = true
        }
    }

    func beginPoll() {
        state.withLock { $0.changedDuringPoll = false }
    }

    /// The assignment as it stands, if it changed since `beginPoll`; `nil` on the fast path.
    func assignmentIfChangedDuringPoll() -> Set<TopicPartition>? {
        state.withLock { $0.changedDuringPoll ? $0.assignment : nil }
    }
}
