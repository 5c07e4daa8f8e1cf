import ArgumentParser
import VigilDaemon

/// `vigil`: the relapse-risk alerting daemon and its tools.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Relapse-risk alerting for addiction care teams, on Kafka.",
        version: Daemon.version,
        subcommands: [Run.self, Demo.self, DevBroker.self, Bench.self, Rules.self]
    )
}
