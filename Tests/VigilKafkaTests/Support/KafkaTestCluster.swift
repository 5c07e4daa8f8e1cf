import Foundation
import Logging
import VigilKafka

/// A mock cluster with one topic, and clients wired to it, for one test.
struct KafkaTestCluster {
    let cluster: MockKafkaCluster
    let topic: String
    let logger: Logger
    let errors = Recorder<String>()

    init(partitions: Int, brokers: Int = 1) throws {
        logger = Logger(label: "vigil.kafka.tests") { _ in SwiftLogNoOpLogHandler() }
        cluster = try MockKafkaCluster(brokers: brokers, logger: logger)
        topic = "topic-\(UUID().uuidString.prefix(8))"
        try cluster.createTopic(topic, partitions: partitions)
    }

    var properties: [String: String] {
        ["bootstrap.servers": cluster.bootstrapServers]
    }

    func producer(reports: Recorder<DeliveryReport>) throws -> KafkaProducer {
        let errors = errors
        return try KafkaProducer(
            properties: properties,
            logger: logger,
            deliveryHandler: { reports.append($0) },
            errorHandler: { error, _ in errors.append(error.description) }
        )
    }

    /// `extra` properties, e.g. a short `session.timeout.ms`: the mock cluster waits `session.timeout.ms − 1 s`
    /// before it completes a rebalance, 44 s with the default.
    func consumer(
        group: String = "group-\(UUID().uuidString.prefix(8))",
        events: Recorder<RebalanceEvent> = Recorder(),
        extra: [String: String] = [:]
    ) throws -> KafkaConsumer {
        let errors = errors
        return try KafkaConsumer(
            properties: properties.merging(extra) { $1 },
            groupId: group,
            logger: logger,
            rebalanceHandler: { events.append($0) },
            errorHandler: { error, _ in errors.append(error.description) }
        )
    }
}
