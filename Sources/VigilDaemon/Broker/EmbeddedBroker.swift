import Logging
import Synchronization
import VigilKafka

/// An in-process Kafka-protocol broker on loopback (librdkafka's mock cluster) with Vigil's topics created.
/// Nothing is kept after the process exits: for development, demos, tests and the benchmark only.
public final class EmbeddedBroker: Sendable {
    /// Every topic the contract names, with its default name.
    public static let defaultTopics = ["patient.checkins", "patient.cravings", "care.alert-acks", "care.alerts", "patient.events.dlq", stateTopic]
    /// The daemon's own per-patient state changelog (CONTRACT.md); created so that the broker has every topic.
    public static let stateTopic = "vigil.patient-state"

    private let cluster: MockKafkaCluster
    private let partitionCounts: Mutex<[String: Int]>

    public var bootstrapServers: String { cluster.bootstrapServers }

    public init(topics: [String] = EmbeddedBroker.defaultTopics, partitions: Int = 6, logger: Logger) throws(DaemonError) {
        do {
            cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            for topic in topics {
                try cluster.createTopic(topic, partitions: partitions)
            }
            partitionCounts = Mutex(Dictionary(uniqueKeysWithValues: topics.map { ($0, partitions) }))
        } catch {
            throw DaemonError(.internalError, "cannot start the embedded broker: \(error)")
        }
    }

    public func createTopic(_ name: String, partitions: Int) throws(DaemonError) {
        do {
            try cluster.createTopic(name, partitions: partitions)
            partitionCounts.withLock { $0[name] = partitions }
        } catch {
            throw DaemonError(.internalError, "cannot create topic \(name): \(error)")
        }
    }

    /// Makes the broker refuse produce requests (retriably) until `acceptProduceRequests()`: librdkafka then gives
    /// up on deliveries after `message.timeout.ms`. For tests.
    public func refuseProduceRequests() {
        cluster.failProduceRequests(count: 1_000_000)
    }

    /// The next `count` produce requests fail retriably (librdkafka retries them). For tests.
    public func failProduceRequests(count: Int) {
        cluster.failProduceRequests(count: count)
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

    /// Takes every partition of `topic` out of service (no leader) and puts it back: writes to it and reads from it
    /// are retried meanwhile, while other topics work. False for a topic the broker does not have. For tests.
    @discardableResult
    public func setTopicAvailable(_ topic: String, _ available: Bool) -> Bool {
        guard let partitions = partitionCounts.withLock({ $0[topic] }) else { return false }
        for partition in 0..<partitions { cluster.setPartitionAvailable(topic: topic, partition: Int32(partition), available) }
        return true
    }

    /// Simulates the brokers going away (connections dropped and refused) and coming back.
    public func setAvailable(_ available: Bool) {
        if available { cluster.setBrokersUp() } else { cluster.setBrokersDown() }
    }
}
