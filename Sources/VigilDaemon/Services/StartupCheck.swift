import Foundation
import Logging
import VigilCore

/// Before taking input: the brokers answer within the connect timeout (else exit 69), and every topic exists with
/// the input topics co-partitioned (else exit 64), since per-patient state depends on one instance seeing all of a
/// patient's events.
struct StartupCheck {
    let loop: ProcessingLoop
    let topics: VigilConfiguration.Topics
    let connectTimeout: TimeInterval
    let signals: SignalGuard
    let logger: Logger

    func run() async throws {
        let loop = self.loop
        let topics = self.topics
        let connectTimeout = self.connectTimeout
        let signals = self.signals
        let counts = try await DedicatedThread.run(name: "vigil-startup") { () throws -> [String: Int?] in
            let deadline = Date().addingTimeInterval(connectTimeout)
            while true {
                if signals.stopRequested { throw DaemonError(.interrupted, "stopped during start-up") }
                let remaining = deadline.timeIntervalSinceNow
                if remaining > 0, loop.isConnected(timeout: min(remaining, 1)) { break }
                if Date() >= deadline {
                    throw DaemonError(.unavailable, "the Kafka brokers did not answer within \(DurationText.text(connectTimeout)) (kafka.connectTimeout)")
                }
            }
            let all = topics.inputs + [topics.alerts, topics.deadLetter, topics.state]
            do {
                return try loop.partitionCounts(of: all, timeout: max(5, deadline.timeIntervalSinceNow))
            } catch {
                throw DaemonError(.unavailable, "the brokers answered but topic metadata could not be read: \(error)")
            }
        }
        for (topic, count) in counts.sorted(by: { $0.key < $1.key }) where count == nil {
            throw DaemonError(.configuration, "topic \(topic) does not exist on the brokers; create it (input topics co-partitioned) before starting")
        }
        let inputCounts = topics.inputs.map { counts[$0].flatMap { $0 } ?? 0 }
        guard Set(inputCounts).count == 1 else {
            let listing = zip(topics.inputs, inputCounts).map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
            throw DaemonError(.configuration, "input topics are not co-partitioned (partition counts \(listing)); every input topic needs the same partition count and key")
        }
        guard counts[topics.state].flatMap({ $0 }) == inputCounts[0] else {
            throw DaemonError(.configuration, "the state topic \(topics.state) has \(counts[topics.state].flatMap { $0 } ?? 0) partitions; it must be co-partitioned with the inputs (\(inputCounts[0]))")
        }
        logger.info("brokers reachable, input topics co-partitioned", metadata: ["kafka.partitions": .stringConvertible(inputCounts[0])])
    }
}
