import Foundation
import Testing

/// `vigil dev-broker` on loopback, for one test.
final class DevBroker: Sendable {
    let process: ChildProcess
    let bootstrap: String

    init(partitions: Int = 3, extraTopics: String? = nil) async throws {
        var arguments = ["dev-broker", "--partitions", String(partitions)]
        if let extraTopics { arguments += ["--topics", extraTopics] }
        process = try ChildProcess(Binaries.vigil, arguments)
        let process = self.process
        let started = await Wait.until(timeout: 30) { process.stdout.contains("\n") }
        try #require(started, "dev-broker printed no bootstrap servers: \(process.stderr)")
        bootstrap = String(process.stdout.split(separator: "\n")[0])
    }

    /// Drops every connection and refuses new ones (SIGUSR1), or comes back (SIGUSR2).
    func setAvailable(_ available: Bool) {
        process.signal(available ? SIGUSR2 : SIGUSR1)
    }

    func stop() async {
        await process.stop()
    }
}
