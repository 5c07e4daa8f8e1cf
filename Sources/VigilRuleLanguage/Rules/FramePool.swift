import Synchronization

/// One reusable frame per configured rule: evaluating a rule then allocates nothing for its bindings and variables.
/// The engine runs one event at a time per processing thread; should two threads evaluate the same rule at once,
/// the one that finds the frame taken gets a fresh one.
final class FramePool: @unchecked Sendable {
    // @unchecked Sendable: `frame` is touched only by the thread that set `busy`.
    private let busy = Atomic<Bool>(false)
    private let frame: Frame
    private let make: @Sendable () -> Frame

    init(make: @escaping @Sendable () -> Frame) {
        self.make = make
        self.frame = make()
    }

    func withFrame<T>(_ body: (Frame) -> T) -> T {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return body(make()) }
        defer { busy.store(false, ordering: .releasing) }
        return body(frame)
    }
}
