import Dispatch
import Foundation
import Synchronization

/// Takes over stop signals (and optional others) from their default action, which would kill the process
/// mid-start-up with a status of 128+n: the process notices them and stops cleanly instead.
/// `ServiceGroup` installs its own handling once the daemon runs; cancel this guard before that.
/// `@unchecked Sendable`: the sources are immutable after `init`, and Dispatch sources may be cancelled from any thread.
public final class SignalGuard: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let gate: SignalGate

    public init(stopOn stopSignals: [Int32] = [SIGTERM, SIGINT], handlers: [Int32: @Sendable () -> Void] = [:]) {
        let queue = DispatchQueue(label: "vigil.signals")
        let gate = SignalGate()
        sources = (stopSignals + Array(handlers.keys)).map { signalNumber in
            // Dispatch sees a signal only once its default action is off.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler(handler: handlers[signalNumber] ?? { gate.open() })
            source.resume()
            return source
        }
        self.gate = gate
    }

    /// Whether a stop signal has arrived.
    public var stopRequested: Bool { gate.isOpen }

    /// Returns once a stop signal arrives.
    public func wait() async { await gate.wait() }

    public func cancel() {
        sources.forEach { $0.cancel() }
    }
}

/// A one-shot gate: `wait()` returns once `open()` has been called, before or after.
final class SignalGate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    var isOpen: Bool { state.withLock { $0.isOpen } }

    func open() {
        let waiter = state.withLock { state in
            state.isOpen = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiter = continuation }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }
}
