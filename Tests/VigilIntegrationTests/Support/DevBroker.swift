import Foundation
import Testing

/// `vigil dev-broker` on loopback, for one test.
final class DevBroker: Sendable {
    let process: ChildProcess
    let bootstrap: String

    init(partitions: Int = 3, extraTopics: String? = nil) async throws {
        var arguments = ["dev-broker", "--partitions", String(partitions), "--fault-commands"]
        if let extraTopics { arguments += ["--topics", extraTopics] }
        process = try ChildProcess(Binaries.vigil, arguments, input: true)
        let process = self.process
        let started = await Wait.until(timeout: 30) { process.stdout.contains("\n") }
        try #require(started, "dev-broker printed no bootstrap servers: \(process.stderr)")
        bootstrap = String(process.stdout.split(separator: "\n")[0])
    }

    /// Drops every connection and refuses new ones (SIGUSR1), or comes back (SIGUSR2).
    func setAvailable(_ available: Bool) {
        process.signal(available ? SIGUSR2 : SIGUSR1)
    }

    /// Applies one `--fault-commands` line (`unavailable care.alerts`, `fail-produce 20`, …) and waits for its `ok`.
    func fault(_ command: String) async throws {
        let answered = process.stdout.components(separatedBy: "ok \(command)\n").count
        process.writeLine(command)
        let process = self.process
        let applied = await Wait.until(timeout: 10) { process.stdout.components(separatedBy: "ok \(command)\n").count > answered }
        try #require(applied, "dev-broker did not apply '\(command)': \(process.stdout.suffix(500))")
    }

    func stop() async {
        await process.stop()
    }
}
