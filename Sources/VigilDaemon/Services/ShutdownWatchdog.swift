import Dispatch
import Foundation
import Logging
import Synchronization

/// The last resort behind the shutdown bound: if a graceful stop has not finished well after `shutdownTimeout`
/// (librdkafka can hang in `rd_kafka_consumer_close`, its issue #4884), the process exits 70 rather than hang
/// past its supervisor's patience. Nothing uncommitted is lost: offsets are only ever committed after delivery.
final class ShutdownWatchdog: Sendable {
    private let disarmed = Atomic<Bool>(false)

    func arm(after seconds: TimeInterval, logger: Logger) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            guard !disarmed.load(ordering: .acquiring) else { return }
            logger.critical("graceful shutdown did not finish in time; exiting", metadata: ["vigil.exit": "70"])
            exit(70)
        }
    }

    func disarm() {
        disarmed.store(true, ordering: .releasing)
    }
}
