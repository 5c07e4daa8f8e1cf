import Synchronization

/// Reusable frames for one configured rule: evaluating the rule then allocates nothing for its bindings and
/// variables. The engine runs one event at a time per processing thread, and the processing threads
/// (`processing.threads`) share the engine, so the pool keeps a few frames: a thread takes the first one free, and
/// only when all are taken (more threads than frames, evaluating the same rule at once) gets a fresh one.
final class FramePool: Sendable {
    /// Frames for this many threads evaluating the rule at once.
    static let capacity = 4

    private final class Slot: @unchecked Sendable {
        // @unchecked Sendable: `frame` is touched only by the thread that set `busy`.
        let busy = Atomic<Bool>(false)
        let frame: Frame

        init(_ frame: Frame) { self.frame = frame }
    }

    private let slots: [Slot]
    private let make: @Sendable () -> Frame

    init(make: @escaping @Sendable () -> Frame) {
        self.make = make
        self.slots = (0..<Self.capacity).map { _ in Slot(make()) }
    }

    func withFrame<T>(_ body: (Frame) -> T) -> T {
        for slot in slots where slot.busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            defer { slot.busy.store(false, ordering: .releasing) }
            return body(slot.frame)
        }
        return body(make())
    }
}
