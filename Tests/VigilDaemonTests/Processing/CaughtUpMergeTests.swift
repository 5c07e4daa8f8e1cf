import Foundation
import Logging
import Prometheus
import Testing
import VigilCore
import VigilKafka
import VigilRules

@testable import VigilDaemon

/// The event-time merge inside the running loop: an input partition that is caught up never holds back the
/// events of its co-partitioned partitions, however long `processing.maxIdle` is. In-process, against an embedded
/// broker.
@Suite("The merge does not wait on a caught-up partition", .serialized)
struct CaughtUpMergeTests {
    let logger = Logger(label: "test")

    @Test("with maxIdle at an hour, a live craving alerts while the check-ins partition is idle and caught up")
    func caughtUpPartitionHoldsNothingBack() async throws {
        let topics = ["patient.checkins", "patient.cravings", "care.alerts", "patient.events.dlq", EmbeddedBroker.stateTopic]
        let broker = try EmbeddedBroker(topics: topics, partitions: 1, logger: logger)
        let properties = ["bootstrap.servers": broker.bootstrapServers, "fetch.wait.max.ms": "5"]
        let input = try KafkaProducer(properties: properties, logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        func publish(_ topic: String, _ event: SyntheticEvent) throws {
            try input.produce(topic: topic, key: Array(event.patientId.utf8), value: event.json(), headers: [.structuredCloudEvent], token: 0)
            #expect(input.flush(timeout: .seconds(30)))
        }
        // The check-ins partition has had data, all of it read: caught up, with nothing buffered.
        try publish("patient.checkins", SyntheticEvent(id: "m-1", type: .checkin, time: Date().addingTimeInterval(-120), patientId: "M-1", fields: [("mood", .number(6))]))

        let registry = PrometheusCollectorRegistry()
        var settings = ProcessingSettings(inputTopics: ["patient.checkins", "patient.cravings"], alertsTopic: "care.alerts", deadLetterTopic: "patient.events.dlq", shutdownTimeout: 10)
        settings.maxIdle = 3600
        let loop = try ProcessingLoop(
            settings: settings, kafkaProperties: properties, groupId: "merge-caught-up",
            engine: RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:])), decoder: EventDecoder(),
            metrics: VigilMetrics(factory: PrometheusMetricsFactory(registry: registry)), health: HealthState(), logger: logger)
        let running = Task { try await DedicatedThread.run(name: "test-merge") { try loop.run() } }
        let checkinHandled = await poll(timeout: 60) { registry.emitToString().contains(#"vigil_events_consumed_total{type="care.checkin.v1"} 1"#) }
        #expect(checkinHandled)

        try publish("patient.cravings", SyntheticEvent(id: "m-2", type: .craving, time: Date().addingTimeInterval(-60), patientId: "M-1", fields: [("score", .number(9))]))
        // Far sooner than maxIdle: the craving did not wait for the caught-up check-ins partition.
        let alerted = await poll(timeout: 60) { registry.emitToString().contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 1"#) }
        #expect(alerted, "the craving waited for the idle, caught-up check-ins partition")
        loop.requestStop()
        try await running.value
    }
}
