import Foundation
import Logging
import Prometheus
import Testing
import VigilCore
import VigilKafka
import VigilRules

@testable import VigilDaemon

/// `exactly-once` in-process against an embedded broker: outputs and input offsets commit together, an output the
/// broker refuses aborts the transaction without committing anything, and a producer with the same transactional
/// id fences the running instance. librdkafka's mock broker accepts transactions and fences stale producers, but
/// writes no transaction markers and does not store offsets committed inside a transaction (its TxnOffsetCommit only
/// validates), so these tests check the transaction outcomes, the records on the topics and fencing, not committed
/// offsets or read_committed visibility.
@Suite("Exactly-once: transactions commit, abort and fence", .serialized)
struct TransactionTests {
    let logger = Logger(label: "test")
    static let topics = ["patient.cravings", "care.alerts", "patient.events.dlq", EmbeddedBroker.stateTopic]

    struct Harness {
        let broker: EmbeddedBroker
        let properties: [String: String]
        let groupId = "eos-\(UUID().uuidString.prefix(8))"
        let transactionalId = "eos-test-\(UUID().uuidString.prefix(8))"

        init(logger: Logger) throws {
            broker = try EmbeddedBroker(topics: TransactionTests.topics, partitions: 1, logger: logger)
            properties = ["bootstrap.servers": broker.bootstrapServers]
        }

        func publishSpike(_ id: String, logger: Logger) throws {
            try publishSpikes([id], logger: logger)
        }

        /// A spike (score 9) for each id, of patient `X-<id>`: each alerts once.
        func publishSpikes(_ ids: [String], logger: Logger) throws {
            let input = try KafkaProducer(properties: properties, logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
            for id in ids {
                let event = SyntheticEvent(id: id, type: .craving, time: Date().addingTimeInterval(-60), patientId: "X-\(id)", fields: [("score", .number(9))])
                try input.produce(topic: "patient.cravings", key: Array("X-\(id)".utf8), value: event.json(), headers: [.structuredCloudEvent], token: 0)
            }
            #expect(input.flush(timeout: .seconds(30)))
        }

        func loop(
            registry: PrometheusCollectorRegistry, extra: [String: String] = [:], checkpointInterval: TimeInterval? = nil, maxDirtyBytes: Int? = nil,
            logger: Logger
        ) throws -> ProcessingLoop {
            var settings = ProcessingSettings(inputTopics: ["patient.cravings"], alertsTopic: "care.alerts", deadLetterTopic: "patient.events.dlq", shutdownTimeout: 10)
            if let checkpointInterval { settings.checkpointInterval = checkpointInterval }
            if let maxDirtyBytes { settings.maxDirtyBytes = maxDirtyBytes }
            settings.guarantee = .exactlyOnce
            settings.transactionalId = transactionalId
            return try ProcessingLoop(
                // Short sessions: the mock broker holds a rebalance for the session timeout.
                settings: settings, kafkaProperties: properties.merging(["session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"]) { $1 }.merging(extra) { $1 }, groupId: groupId,
                engine: RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:])), decoder: EventDecoder(),
                metrics: VigilMetrics(factory: PrometheusMetricsFactory(registry: registry)), health: HealthState(), logger: logger)
        }

        /// The keys of the records on `topic`, read by a client outside the loop.
        func keys(of topic: String, logger: Logger) throws -> [String] {
            var keys: [String] = []
            try KafkaChangelogReader(properties: properties, logger: logger).read(topic: topic, partitions: [0], timeout: .seconds(10)) { message in
                keys.append(message.key.map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
            return keys
        }
    }

    @Test("alerts, state and input offsets commit in one transaction; a graceful stop commits the last one")
    func commits() async throws {
        let harness = try Harness(logger: logger)
        try harness.publishSpike("1", logger: logger)
        let registry = PrometheusCollectorRegistry()
        let loop = try harness.loop(registry: registry, logger: logger)
        let running = Task { try await DedicatedThread.run(name: "test-loop") { try loop.run() } }
        let published = await poll(timeout: 60) { registry.emitToString().contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 1"#) }
        #expect(published, "the alert was not published")
        loop.requestStop()
        try await running.value
        let metrics = registry.emitToString()
        #expect(!metrics.contains(#"vigil_transactions_total{outcome="committed"} 0"#), "no transaction committed")
        #expect(metrics.contains(#"vigil_transactions_total{outcome="aborted"} 0"#))
        #expect(metrics.contains(#"vigil_state_writes_total 1"#))
        #expect(try harness.keys(of: "care.alerts", logger: logger) == ["X-1"])
        #expect(try harness.keys(of: EmbeddedBroker.stateTopic, logger: logger) == ["X-1"])
    }

    /// Committing does not stop the loop: the outputs of events handled while a transaction commits go into the
    /// next one (with those events' offsets). None may be lost or published twice.
    @Test("processing goes on while a transaction commits: outputs handled meanwhile go into the next transaction, each once")
    func processingDuringCommit() async throws {
        let harness = try Harness(logger: logger)
        let ids = (1...5_000).map { String($0) }
        try harness.publishSpikes(ids, logger: logger)
        let registry = PrometheusCollectorRegistry()
        // Checkpoints sealed by size only, every few hundred patients: the backlog spans many transactions, each
        // committing while later events are handled, and checkpoints are sealed while a commit is under way (whose
        // outputs, and those of the checkpoint still open, then go into the next transaction, which must cover
        // them all: the loop aborts a transaction whose outputs its offsets do not cover).
        let loop = try harness.loop(registry: registry, checkpointInterval: 60, maxDirtyBytes: 150_000, logger: logger)
        let running = Task { try await DedicatedThread.run(name: "test-loop") { try loop.run() } }
        let published = await poll(timeout: 120) {
            registry.emitToString().contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 5000"#)
                || loop.fatalKafkaError.withLock { $0 } != nil
        }
        #expect(published && loop.fatalKafkaError.withLock { $0 } == nil, "not every alert was published")
        loop.requestStop()
        try await running.value
        #expect(loop.outputsHeldBack > 0, "no output was ever held back for the next transaction: the path was not exercised")
        let metrics = registry.emitToString()
        #expect(metrics.contains(#"vigil_transactions_total{outcome="aborted"} 0"#))
        let patients = Set(ids.map { "X-\($0)" })
        let alerts = try harness.keys(of: "care.alerts", logger: logger)
        #expect(alerts.count == ids.count, "\(alerts.count) alert records for \(ids.count) alerts")
        #expect(patients.subtracting(alerts).isEmpty, "\(patients.subtracting(alerts).count) patients have no alert")
        let stateKeys = Set(try harness.keys(of: EmbeddedBroker.stateTopic, logger: logger))
        #expect(patients.subtracting(stateKeys).isEmpty, "\(patients.subtracting(stateKeys).count) patients have no state written")
    }

    @Test("an output the broker refuses aborts the transaction: nothing is committed, the loop stops, a restart commits")
    func abortsThenRecovers() async throws {
        let harness = try Harness(logger: logger)
        try harness.publishSpike("1", logger: logger)
        harness.broker.refuseProduceRequests()
        let registry = PrometheusCollectorRegistry()
        let loop = try harness.loop(registry: registry, extra: ["message.timeout.ms": "1500", "retry.backoff.ms": "50"], logger: logger)
        let failed = await #expect(throws: KafkaError.self) {
            try await DedicatedThread.run(name: "test-loop") { try loop.run() }
        }
        #expect(failed != nil)
        #expect(registry.emitToString().contains(#"vigil_transactions_total{outcome="aborted"} 1"#))
        #expect(registry.emitToString().contains(#"vigil_transactions_total{outcome="committed"} 0"#))
        #expect(try harness.keys(of: "care.alerts", logger: logger).isEmpty)

        harness.broker.acceptProduceRequests()
        let restartedRegistry = PrometheusCollectorRegistry()
        let restarted = try harness.loop(registry: restartedRegistry, logger: logger)
        let running = Task { try await DedicatedThread.run(name: "test-loop") { try restarted.run() } }
        let published = await poll(timeout: 60) { restartedRegistry.emitToString().contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 1"#) }
        #expect(published, "the restarted loop did not process the event of the aborted transaction again")
        restarted.requestStop()
        try await running.value
        #expect(try harness.keys(of: "care.alerts", logger: logger) == ["X-1"])
    }

    /// The mock broker does not fence by itself (see `fenceNextTransaction`), so the broker's answer to a zombie
    /// is injected: what is tested is that a fenced instance stops at once, commits nothing more, and says why.
    @Test("a fenced instance (PRODUCER_FENCED from the broker) stops with a fatal error and publishes nothing more")
    func fencing() async throws {
        let harness = try Harness(logger: logger)
        let registry = PrometheusCollectorRegistry()
        let loop = try harness.loop(registry: registry, logger: logger)
        let running = Task { try await DedicatedThread.run(name: "test-loop") { try loop.run() } }
        try harness.publishSpike("1", logger: logger)
        #expect(await poll(timeout: 60) { registry.emitToString().contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 1"#) })

        harness.broker.fenceNextTransaction()
        try harness.publishSpike("2", logger: logger)
        let fenced = await poll(timeout: 60) { loop.fatalKafkaError.withLock { $0 } != nil }
        if !fenced { loop.requestStop() }
        #expect(fenced, "the fenced instance kept running")
        do {
            try await running.value
            Issue.record("the fenced instance stopped without an error")
        } catch let error as KafkaError {
            #expect(error.code == .fatal, "expected a fatal (fenced) error, got \(error)")
        }
        #expect(!registry.emitToString().contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 2"#), "the fenced instance published after being fenced")
    }
}
