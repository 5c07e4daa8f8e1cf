import Foundation
import Logging
import ServiceLifecycle

/// Runs the processing loops, each on a dedicated thread, for the lifetime of the service group. On graceful shutdown
/// or cancellation every loop finishes the message in hand, waits for acknowledgements, commits and leaves the
/// group; a watchdog ends the process if that takes far longer than the configured bound. When one loop fails, the
/// others stop as gracefully (their partitions go to the group's other members) and the failure ends the service.
struct ProcessingService: Service {
    let loops: [any StoppableLoop]
    let shutdownTimeout: TimeInterval
    let logger: Logger

    func run() async throws {
        let loops = self.loops
        let watchdog = ShutdownWatchdog()
        // The loops keep within the bound by themselves; the watchdog allows a little for the process to exit.
        let bound = shutdownTimeout + 2
        let logger = self.logger
        defer { watchdog.disarm() }
        let stopAll: @Sendable () -> Void = {
            for loop in loops { loop.requestStop() }
            watchdog.arm(after: bound, logger: logger)
        }
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await Self.runAll(loops, onFirstFailure: stopAll)
            } onCancel: {
                stopAll()
            }
        } onGracefulShutdown: {
            stopAll()
        }
    }

    /// Runs every loop to its end; the first failure stops the others and is rethrown once they all ended.
    static func runAll(_ loops: [any StoppableLoop], onFirstFailure: @escaping @Sendable () -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, loop) in loops.enumerated() {
                let name = loops.count == 1 ? "vigil-processing" : "vigil-processing-\(index + 1)"
                group.addTask { try await DedicatedThread.run(name: name) { try loop.run() } }
            }
            var firstFailure: (any Error)?
            while let result = await group.nextResult() {
                if case .failure(let error) = result, firstFailure == nil {
                    firstFailure = error
                    onFirstFailure()
                }
            }
            if let firstFailure { throw firstFailure }
        }
    }
}

/// What `ProcessingService` runs: a blocking loop on a thread of its own, stopped from any thread.
protocol StoppableLoop: AnyObject, Sendable {
    /// Runs until stopped (returns) or failed (throws).
    func run() throws
    func requestStop()
}

extension ProcessingLoop: StoppableLoop {}
