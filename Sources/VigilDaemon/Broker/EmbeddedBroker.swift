import Logging
import VigilKafka

/// An in-process Kafka-protocol broker on loopback (librdkafka's mock cluster) with Vigil's topics created.
/// Nothing is kept after the process exits: for development, demos, tests and the benchmark only.
public final class EmbeddedBroker: Sendable {
    /// Every topic the contract names, with its default name.
    public static let defaultTopics = ["patient.checkins", "patient.cravings", "care.alert-acks", "care.alerts", "patient.events.dlq", stateTopic]
    /// The daemon's own per-patient state changelog (CONTRACT.md); created so that the broker has every topic.
    public static let stateTopic = "vigil.patient-state"

    private let cluster: MockKafkaCluster

    public var bootstrapServers: String { cluster.bootstrapServers }

    public init(topics: [String] = EmbeddedBroker.defaultTopics, partitions: Int = 6, logger: Logger) throws(DaemonError) {
        do {
            cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            for topic in topics {
                try cluster.createTopic(topic, partitions: partitions)
            }
        } catch {
            throw DaemonError(.internalError, "cannot start the embedded broker: \(error)")
        }
    }

    public func createTopic(_ name: String, partitions: Int) throws(DaemonError) {
        do {
            try cluster.createTopic(name, partitions: partitions)
        } catch {
            throw DaemonError(.internalError, "cannot create topic \(name): \(error)")
        }
    }

    /// Makes the broker refuse produce requests (retriably) until `acceptProduceRequests()`: librdkafka then gives
    /// up on deliveries after `message.timeout.ms`. For tests.
    public func refuseProduceRequests() {
        cluster.failProduceRequests(count: 1_000_000)
    }

    /// Answers the next transaction's first AddPartitionsToTxn with PRODUCER_FENCED. For tests.
    public func fenceNextTransaction() {
        cluster.fenceNextTransaction()
    }

    /// Makes the broker refuse offset commits until `acceptOffsetCommits()`. For tests.
    public func refuseOffsetCommits() {
        cluster.failOffsetCommits(count: 1_000_000)
    }

    public func acceptOffsetCommits() {
        cluster.clearOffsetCommitFailures()
    }

    public func acceptProduceRequests() {
        cluster.clearProduceFailures()
    }

    /// Simulates the brokers going away (connections dropped and refused) and coming back.
    public func setAvailable(_ available: Bool) {
        if available { cluster.setBrokersUp() } else { cluster.setBrokersDown() }
    }
}
