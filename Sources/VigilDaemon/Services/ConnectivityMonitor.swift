import Dispatch
import Foundation
import ServiceLifecycle

/// Probes the brokers with a metadata round trip every few seconds and feeds `/health/ready`.
struct ConnectivityMonitor: Service {
    let loop: ProcessingLoop
    let health: HealthState
    var interval: Duration = .seconds(2)
    var probeTimeout: TimeInterval = 2

    private static let queue = DispatchQueue(label: "vigil.connectivity")

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let connected = await probe()
            health.update { $0.brokersConnected = connected }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    private func probe() async -> Bool {
        let loop = self.loop
        let timeout = probeTimeout
        return await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: loop.isConnected(timeout: timeout)) }
        }
    }
}
