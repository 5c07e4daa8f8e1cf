internal import CRdKafka
import Logging

/// librdkafka's mock cluster (`rdkafka_mock.h`): Kafka-protocol brokers on loopback, in this process. Our dev
/// broker and embedded broker; nothing is kept after it is released.
///
/// In librdkafka 2.0.2 it supports producing (idempotent too), consumer groups with commits and metadata; it does
/// not implement CreateTopics (use `createTopic`), keeps at most 5 MiB or 100,000 message sets per partition, and
/// makes the first group join wait about 3 s.
///
/// `@unchecked Sendable`: the mock cluster's operations are commands posted to its own thread, safe from any
/// thread; the pointers never change.
public final class MockKafkaCluster: @unchecked Sendable {
    /// The handle that hosts the cluster (librdkafka needs one for bookkeeping); it connects nowhere itself.
    private let host: KafkaClient
    let cluster: OpaquePointer
    private let brokerCount: Int
    public let bootstrapServers: String

    public init(brokers: Int = 1, logger: Logger) throws(KafkaError) {
        guard brokers > 0 else {
            throw KafkaError(code: .mockCluster, message: "A mock cluster needs at least one broker")
        }
        let context = CallbackContext(logger: logger) { error, _ in
            logger.warning("Mock cluster host error", metadata: ["kafka.error": "\(error.message)"])
        }
        // No bootstrap.servers: the host never connects; quiet its one warning about that.
        let configuration = KafkaConfiguration(properties: [:], forced: [("log_level", "3")], defaults: [])
        host = try KafkaClient.make(RD_KAFKA_PRODUCER, configuration: configuration, context: context)
        guard let cluster = rd_kafka_mock_cluster_new(host.handle, Int32(clamping: brokers)) else {
            throw KafkaError(code: .mockCluster, message: "Could not start a mock cluster of \(brokers) brokers")
        }
        self.cluster = cluster
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        // Before the host handle, which the cluster's thread uses.
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates a topic (the mock cluster does not implement CreateTopics). Creating an existing topic fails.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let result = rd_kafka_mock_topic_create(
            cluster,
            name,
            Int32(clamping: partitions),
            Int32(clamping: replicationFactor)
        )
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            var error = KafkaError(result, operation: .mockCluster, "Creating topic '\(name)'")
            error.code = .mockCluster
            throw error
        }
    }

    /// Gives `partition` of `topic` no leader (`available: false`): produce and fetch requests for it fail, and
    /// clients retry until it is led by broker 1 again (`available: true`). Other topics are unaffected.
    public func setPartitionAvailable(topic: String, partition: Int32, _ available: Bool) {
        _ = rd_kafka_mock_partition_set_leader(cluster, topic, partition, available ? 1 : -1)
    }

    /// Disconnects every broker and refuses new connections, until `setBrokersUp`.
    public func setBrokersDown() {
        forEachBroker { rd_kafka_mock_broker_set_down(cluster, $0) }
    }

    public func setBrokersUp() {
        forEachBroker { rd_kafka_mock_broker_set_up(cluster, $0) }
    }

    /// Broker ids run from 1 to the broker count.
    private func forEachBroker(_ command: (Int32) -> rd_kafka_resp_err_t) {
        for broker in 1...Int32(clamping: brokerCount) {
            let result = command(broker)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                host.context.logger.warning(
                    "Mock broker command failed",
                    metadata: ["kafka.broker": "\(broker)", "kafka.error": "\(KafkaError.text(of: result))"]
                )
            }
        }
    }
}
