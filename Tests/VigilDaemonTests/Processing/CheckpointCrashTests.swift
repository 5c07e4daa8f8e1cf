import Foundation
import Logging
import Prometheus
import Testing
import VigilCore
import VigilKafka
import VigilRules

@testable import VigilDaemon

/// A crash after a checkpoint's alerts and state writes are acknowledged but before its offsets are committed: the
/// successor restores that state, gets the same events again, and takes them for the duplicates they are. Nothing
/// is lost and no decision is taken twice. In-process, against an embedded broker that refuses offset commits.
@Suite("Checkpoints survive a crash between their writes and their commit", .serialized)
struct CheckpointCrashTests {
    let logger = Logger(label: "test")
    static let topics = ["patient.cravings", "care.alerts", "patient.events.dlq", EmbeddedBroker.stateTopic]

    @Test("a crash before the commit loses no alert and repeats none")
    func crashBeforeCommit() async throws {
        let broker = try EmbeddedBroker(topics: Self.topics, partitions: 1, logger: logger)
        let properties = ["bootstrap.servers": broker.bootstrapServers, "session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"]
        let input = try KafkaProducer(properties: properties, logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        let scores: [Double] = [9, 2, 9, 3, 9]
        for (index, score) in scores.enumerated() {
            let patient = "C-\(index)"
            let event = SyntheticEvent(id: "c-\(index)", type: .craving, time: Date().addingTimeInterval(-600), patientId: patient, fields: [("score", .number(score))])
            try input.produce(topic: "patient.cravings", key: Array(patient.utf8), value: event.json(), headers: [.structuredCloudEvent], token: 0)
        }
        #expect(input.flush(timeout: .seconds(30)))
        broker.refuseOffsetCommits()

        let firstRegistry = PrometheusCollectorRegistry()
        let first = try loop(properties, registry: firstRegistry)
        let crashed = Task { try await DedicatedThread.run(name: "test-first") { try first.run() } }
        // The checkpoint's state writes landed (one per patient) and its commit was refused.
        let written = await poll(timeout: 60) {
            (try? records(in: EmbeddedBroker.stateTopic, properties).count) == scores.count
                && firstRegistry.emitToString().contains(#"vigil_kafka_errors_total{operation="commit"}"#)
        }
        #expect(written, "the first instance never wrote its checkpoint")
        first.simulateCrash()
        try await crashed.value
        #expect(try committed(properties) == nil, "the refused commit went through after all")
        #expect(try records(in: "care.alerts", properties).count == 3)

        broker.acceptOffsetCommits()
        let secondRegistry = PrometheusCollectorRegistry()
        let second = try loop(properties, registry: secondRegistry)
        let running = Task { try await DedicatedThread.run(name: "test-second") { try second.run() } }
        let caughtUp = await poll(timeout: 60) { second.isCaughtUpAndIdle.load(ordering: .acquiring) }
        #expect(caughtUp)
        second.requestStop()
        try await running.value

        #expect(secondRegistry.emitToString().contains("vigil_events_duplicate_total 5"), "the redelivered events were not recognised as processed")
        let alerts = try records(in: "care.alerts", properties)
        #expect(alerts.count == 3, "an alert was lost or published twice")
        #expect(Set(alerts).count == 3)
        #expect(try committed(properties) == Int64(scores.count))
    }

    private func loop(_ properties: [String: String], registry: PrometheusCollectorRegistry) throws -> ProcessingLoop {
        var settings = ProcessingSettings(inputTopics: ["patient.cravings"], alertsTopic: "care.alerts", deadLetterTopic: "patient.events.dlq", shutdownTimeout: 10)
        settings.checkpointInterval = 0.2
        return try ProcessingLoop(
            settings: settings, kafkaProperties: properties, groupId: "checkpoint-crash",
            engine: RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:])), decoder: EventDecoder(),
            metrics: VigilMetrics(factory: PrometheusMetricsFactory(registry: registry)), health: HealthState(), logger: logger)
    }

    /// The values of every record of partition 0 of `topic`, read outside any group.
    private func records(in topic: String, _ properties: [String: String]) throws -> [String] {
        let reader = try KafkaChangelogReader(properties: properties, logger: logger)
        var values: [String] = []
        try reader.read(topic: topic, partitions: [0], timeout: .seconds(10)) { message in
            values.append(message.value.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
        return values
    }

    private func committed(_ properties: [String: String]) throws -> Int64? {
        let consumer = try KafkaConsumer(properties: properties, groupId: "checkpoint-crash", logger: logger, rebalanceHandler: { _ in }, errorHandler: { _, _ in })
        defer { consumer.close() }
        return try consumer.committed([TopicPartition(topic: "patient.cravings", partition: 0)], timeout: .seconds(5)).values.first
    }
}
