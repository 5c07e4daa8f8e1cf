import Foundation
import Logging
import Prometheus
import Testing
import VigilCore
import VigilKafka
import VigilRules

@testable import VigilDaemon

/// Patients idle past the retention leave memory and, with a tombstone, the changelog. The store reuses their
/// slots only once a checkpoint has named them, which these tests drive step by step inside one loop.
@Suite("Idle patients evicted: tombstones, and slots reused only after the seal", .serialized)
struct IdleEvictionTests {
    let logger = Logger(label: "test")
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func makeLoop(broker: EmbeddedBroker) throws -> ProcessingLoop {
        var settings = ProcessingSettings(inputTopics: ["patient.cravings"], alertsTopic: "care.alerts", deadLetterTopic: "patient.events.dlq", shutdownTimeout: 10)
        settings.stateRetention = 3600
        return try ProcessingLoop(
            settings: settings, kafkaProperties: ["bootstrap.servers": broker.bootstrapServers], groupId: "eviction-test",
            engine: RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:])), decoder: EventDecoder(),
            metrics: VigilMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())), health: HealthState(), logger: logger)
    }

    /// A calm craving (no alert), so that the checkpoint's writes need no acknowledgement first.
    func craving(_ patientId: String, id: String, at seconds: TimeInterval, offset: Int64) -> EventTimeMerge.Item {
        let event = PatientEvent(id: id, source: "test", time: start.addingTimeInterval(seconds), patientId: patientId, payload: .craving(Craving(score: 1)))
        return EventTimeMerge.Item(event: event, partition: 0, topicIndex: 0, offset: offset, receivedAt: 0)
    }

    func sealedWrites(_ loop: ProcessingLoop) -> [String: [UInt8]?] {
        loop.sealCheckpoint(now: start)
        guard case .writeState(let checkpoint, let writes) = loop.checkpoints.nextStep() else { return [:] }
        // As the broker would: every write acknowledged (no input offsets here, so nothing to commit).
        for _ in writes { loop.checkpoints.acknowledged(checkpoint) }
        #expect(loop.checkpoints.nextStep() == nil && loop.checkpoints.sealedCount == 0)
        return Dictionary(writes.map { ($0.patientId, $0.value) }, uniquingKeysWith: { _, _ in Issue.record("a patient written twice in one checkpoint"); return nil })
    }

    @Test("an idle patient gets a tombstone; one evicted and seen again before the seal keeps its state; the freed slot takes a new patient")
    func evictionAndSlotReuse() throws {
        let broker = try EmbeddedBroker(topics: ["patient.cravings", "care.alerts", "patient.events.dlq", EmbeddedBroker.stateTopic], partitions: 1, logger: logger)
        let loop = try makeLoop(broker: broker)
        loop.apply(craving("P-idle", id: "e-1", at: 0, offset: 0))
        loop.apply(craving("P-back", id: "e-2", at: 0, offset: 1))
        let freedSlot = try #require(loop.store.slot(of: "P-idle"))
        let backSlot = try #require(loop.store.slot(of: "P-back"))
        _ = sealedWrites(loop)

        // Two hours on, both have been idle past the hour of retention.
        loop.apply(craving("P-active", id: "e-3", at: 7200, offset: 2))
        loop.evictIdlePatients()
        #expect(loop.store.slot(of: "P-idle") == nil && loop.store.slot(of: "P-back") == nil)
        #expect(loop.store.count == 1)
        // P-back returns before the checkpoint: same slot, a fresh state with the new event only.
        loop.apply(craving("P-back", id: "e-4", at: 7201, offset: 3))
        #expect(loop.store.slot(of: "P-back") == backSlot)

        let writes = sealedWrites(loop)
        #expect(Set(writes.keys) == ["P-idle", "P-back", "P-active"])
        #expect(writes["P-idle"] == .some(nil), "the idle patient is dropped from the changelog")
        let backRecord = try #require(writes["P-back"] ?? nil, "the returning patient must be written, not tombstoned")
        let back = try #require(try backRecord.withUnsafeBytes { try PatientStateCodec.decode($0, patientId: "P-back") })
        #expect(back.history.cravings.map(\.eventId) == ["e-4"])

        // The seal released P-idle's slot: the next new patient takes it, and only that patient is written.
        loop.apply(craving("P-new", id: "e-5", at: 7202, offset: 4))
        #expect(loop.store.slot(of: "P-new") == freedSlot)
        #expect(Set(sealedWrites(loop).keys) == ["P-new"])
    }
}
