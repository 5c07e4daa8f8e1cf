import Foundation
import Logging
import ServiceLifecycle

/// Runs the processing loop on its dedicated thread for the lifetime of the service group. On graceful shutdown or
/// cancellation the loop finishes the message in hand, waits for acknowledgements, commits and leaves the group;
/// a watchdog ends the process if that takes far longer than the configured bound.
struct ProcessingService: Service {
    let loop: ProcessingLoop
    let shutdownTimeout: TimeInterval
    let logger: Logger

    func run() async throws {
        let loop = self.loop
        let watchdog = ShutdownWatchdog()
        // The loop keeps within the bound by itself; the watchdog allows a little for the process to exit.
        let bound = shutdownTimeout + 2
        let logger = self.logger
        defer { watchdog.disarm() }
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await DedicatedThread.run(name: "vigil-processing") { try loop.run() }
            } onCancel: {
                loop.requestStop()
                watchdog.arm(after: bound, logger: logger)
            }
        } onGracefulShutdown: {
            loop.requestStop()
            watchdog.arm(after: bound, logger: logger)
        }
    }
}
