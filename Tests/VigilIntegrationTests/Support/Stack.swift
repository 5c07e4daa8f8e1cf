import Foundation

/// Runs `body` with a fresh dev broker, and always stops it (and whatever `body` registered) afterwards,
/// also when the test fails half-way.
func withBroker(partitions: Int = 3, extraTopics: String? = nil, _ body: (DevBroker, Cleanup) async throws -> Void) async throws {
    let broker = try await DevBroker(partitions: partitions, extraTopics: extraTopics)
    let cleanup = Cleanup()
    do {
        try await body(broker, cleanup)
    } catch {
        await cleanup.run()
        await broker.stop()
        throw error
    }
    await cleanup.run()
    await broker.stop()
}

/// Processes to stop when a test ends.
final class Cleanup: @unchecked Sendable {
    // @unchecked Sendable: used by one test task at a time.
    private var daemons: [Daemon] = []

    @discardableResult
    func daemon(_ daemon: Daemon) -> Daemon {
        daemons.append(daemon)
        return daemon
    }

    func run() async {
        for daemon in daemons { await daemon.stop() }
        daemons.removeAll()
    }
}
