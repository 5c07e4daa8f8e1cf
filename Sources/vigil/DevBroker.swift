import ArgumentParser
import Dispatch
import Foundation
import Logging
import VigilDaemon

/// `vigil dev-broker`: a Kafka-protocol broker on loopback for development and tests.
struct DevBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Run a local Kafka-protocol broker (librdkafka's mock cluster) with every default topic.",
        discussion: """
            Prints the bootstrap servers on the first line of stdout and runs until SIGTERM or SIGINT. \
            For tests of broker loss, SIGUSR1 takes the broker down (connections dropped and refused) and \
            SIGUSR2 brings it back. Nothing is kept after exit.

            With --fault-commands it also reads one fault per line from stdin and answers `ok LINE` (or \
            `error: …`) on stdout: `down`, `up`, `unavailable TOPIC` (its partitions lose their leader: \
            produce and fetch are retried), `available TOPIC`, `fail-produce N` (the next N produce requests \
            fail retriably). For fault-injection tests.
            """
    )

    @Option(help: "Partitions of every topic.") var partitions = 6
    @Option(help: "Extra topics to create, comma-separated, each NAME or NAME:PARTITIONS.") var topics: String?
    @Option(help: "Log level on stderr.") var logLevel = "notice"
    @Flag(help: "Read fault commands from stdin (see above).") var faultCommands = false

    func validate() throws {
        guard (1...256).contains(partitions) else { throw ValidationError("--partitions must be 1 to 256") }
    }

    func run() async throws {
        Bootstrap.logging(level: logLevel)
        let broker: EmbeddedBroker
        do {
            broker = try EmbeddedBroker(partitions: partitions, logger: Logger(label: "vigil.dev-broker"))
            for topic in topics?.split(separator: ",") ?? [] {
                let parts = topic.split(separator: ":")
                guard let name = parts.first, parts.count <= 2, let count = parts.count == 2 ? Int(parts[1]) : partitions, count > 0 else {
                    throw ValidationError("--topics: \(topic) is not NAME or NAME:PARTITIONS")
                }
                try broker.createTopic(String(name), partitions: count)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ExitCode(Bootstrap.exit(for: error))
        }
        // Signals are handled before the address is printed: whoever reacts to the line may signal at once.
        let signals = SignalGuard(handlers: [
            SIGUSR1: { broker.setAvailable(false) },
            SIGUSR2: { broker.setAvailable(true) },
        ])
        FileHandle.standardOutput.write(Data((broker.bootstrapServers + "\n").utf8))
        if faultCommands {
            Thread.detachNewThread {
                while let line = readLine() {
                    FileHandle.standardOutput.write(Data((FaultCommand.apply(line, to: broker) + "\n").utf8))
                }
            }
        }
        await signals.wait()
        signals.cancel()
    }
}
