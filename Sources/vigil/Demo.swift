import ArgumentParser
import Foundation
import Logging
import VigilDaemon

/// `vigil demo`: watch alerts appear for a synthetic caseload.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon on an embedded broker with a synthetic stream of patients and print the alerts.")

    @Option(help: "Port for health, metrics and status (default: any free port, printed).") var httpPort = 0
    @Option(help: "Calm patients in the synthetic caseload.") var patients = 24
    @Option(help: "Synthetic events per second.") var rate = 4.0
    @Option(help: "Log level on stderr.") var logLevel = "warning"

    func validate() throws {
        guard rate > 0, rate <= 1000 else { throw ValidationError("--rate must be above 0 and at most 1000") }
    }

    func run() async throws {
        Bootstrap.logging(level: logLevel)
        let registry = Bootstrap.metrics()
        let demo = DemoRunner(
            modules: ruleModules, httpPort: httpPort, patients: patients, eventsPerSecond: rate,
            logger: Logger(label: "vigil"), registry: registry,
            output: { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) })
        do {
            try await demo.run()
        } catch {
            throw ExitCode(Bootstrap.exit(for: error))
        }
    }
}
