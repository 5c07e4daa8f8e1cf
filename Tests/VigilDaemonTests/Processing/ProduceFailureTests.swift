import Foundation
import Logging
import Prometheus
import Testing
import VigilCore
import VigilKafka
import VigilRules

@testable import VigilDaemon

/// What happens when the broker will not take an alert: the input is not committed past it, readiness says so,
/// and the alert is produced again once the broker accepts it. Runs the processing loop in-process against an
/// embedded broker whose Produce requests fail.
@Suite("Produce failures are retried, never committed past", .serialized)
struct ProduceFailureTests {
    let logger = Logger(label: "test")

    @Test("an alert librdkafka gave up on blocks the commit, turns readiness false, and is delivered after recovery")
    func retryUntilDelivered() async throws {
        let broker = try EmbeddedBroker(topics: ["patient.cravings", "care.alerts", "patient.events.dlq"], partitions: 1, logger: logger)
        let properties = ["bootstrap.servers": broker.bootstrapServers]
        let input = try KafkaProducer(properties: properties, logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        let event = SyntheticEvent(id: "f-1", type: .craving, time: Date().addingTimeInterval(-60), patientId: "F-1", fields: [("score", .number(9))])
        try input.produce(topic: "patient.cravings", key: Array("F-1".utf8), value: event.json(), headers: [.structuredCloudEvent], token: 0)
        #expect(input.flush(timeout: .seconds(30)))
        broker.refuseProduceRequests()

        let health = HealthState()
        let registry = PrometheusCollectorRegistry()
        var settings = ProcessingSettings(inputTopics: ["patient.cravings"], alertsTopic: "care.alerts", deadLetterTopic: "patient.events.dlq", shutdownTimeout: 10)
        settings.redeliveryBackoff = 0.2
        let loop = try ProcessingLoop(
            settings: settings,
            kafkaProperties: properties.merging(["message.timeout.ms": "1500", "retry.backoff.ms": "50"]) { $1 },
            groupId: "failure-test", engine: RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:])),
            decoder: EventDecoder(), metrics: VigilMetrics(factory: PrometheusMetricsFactory(registry: registry)), health: health, logger: logger)
        let running = Task { try await DedicatedThread.run(name: "test-loop") { try loop.run() } }

        let failing = await poll(timeout: 60) { !health.snapshot.publishing }
        #expect(failing, "readiness never reported the failing publication")
        #expect(health.snapshot.notReady.contains("publishing"))
        #expect(registry.emitToString().contains(#"vigil_kafka_errors_total{operation="produce"}"#))
        #expect(try committed(properties) == nil, "the input was committed past an undelivered alert")

        broker.acceptProduceRequests()
        let recovered = await poll(timeout: 60) { health.snapshot.publishing && (try? committed(properties)) == 1 }
        #expect(recovered, "the alert was not delivered and committed after the broker recovered")
        #expect(registry.emitToString().contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 1"#))
        loop.requestStop()
        try await running.value
    }

    private func committed(_ properties: [String: String]) throws -> Int64? {
        let consumer = try KafkaConsumer(properties: properties, groupId: "failure-test", logger: logger, rebalanceHandler: { _ in }, errorHandler: { _, _ in })
        defer { consumer.close() }
        return try consumer.committed([TopicPartition(topic: "patient.cravings", partition: 0)], timeout: .seconds(5)).values.first
    }
}
