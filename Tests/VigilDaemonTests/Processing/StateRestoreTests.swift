import Foundation
import Logging
import Prometheus
import Testing
import VigilCore
import VigilKafka
import VigilRules

@testable import VigilDaemon

/// Restoring an assigned partition's patients from the state changelog, in-process against an embedded broker.
@Suite("State restore from the changelog", .serialized)
struct StateRestoreTests {
    let logger = Logger(label: "test")

    @Test("the latest record per patient wins, a tombstone drops the patient, an unreadable record is skipped; readiness follows")
    func restore() throws {
        let broker = try EmbeddedBroker(topics: ["patient.cravings", "care.alerts", "patient.events.dlq", EmbeddedBroker.stateTopic], partitions: 2, logger: logger)
        let properties = ["bootstrap.servers": broker.bootstrapServers]
        let engine = RuleEngine(rules: try BuiltinRuleModule().makeRules(settings: [:]))
        var cooled = PatientState()
        let spike = PatientEvent(id: "s-1", source: "test", time: Date().addingTimeInterval(-3600), patientId: "R-1", payload: .craving(Craving(score: 9)))
        #expect(engine.process(spike, state: &cooled, detectedAt: Date()).alert != nil)

        let producer = try KafkaProducer(properties: properties, logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        func write(_ key: String, _ value: [UInt8]?, partition: Int32 = 0) throws {
            let result: Result<Void, KafkaError> = Array(key.utf8).withUnsafeBytes { key in
                guard let value else {
                    return Result { () throws(KafkaError) in try producer.produce(topic: EmbeddedBroker.stateTopic, partition: partition, key: key, value: nil, headers: [], token: 0) }
                }
                return value.withUnsafeBytes { value in
                    Result { () throws(KafkaError) in try producer.produce(topic: EmbeddedBroker.stateTopic, partition: partition, key: key, value: value, headers: [], token: 0) }
                }
            }
            try result.get()
        }
        try write("R-1", PatientStateCodec.encode(PatientState()))
        try write("R-1", PatientStateCodec.encode(cooled))
        try write("R-2", PatientStateCodec.encode(cooled))
        try write("R-2", nil)
        try write("R-3", Array("not a state".utf8))
        try write("R-4", PatientStateCodec.encode(cooled), partition: 1)
        #expect(producer.flush(timeout: .seconds(30)))

        let health = HealthState()
        let loop = try ProcessingLoop(
            settings: ProcessingSettings(inputTopics: ["patient.cravings"], alertsTopic: "care.alerts", deadLetterTopic: "patient.events.dlq", shutdownTimeout: 10),
            kafkaProperties: properties, groupId: "restore-test", engine: engine, decoder: EventDecoder(),
            metrics: VigilMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())), health: health, logger: logger)
        health.update { $0.stateReady = true }
        loop.restoreState(partitions: [0])

        #expect(heldPatients(loop.store) == ["R-1"], "partition 1 is not restored, R-2 was dropped, R-3 is unreadable")
        #expect(loop.store["R-1"]?.cooldowns == cooled.cooldowns)
        #expect(loop.store["R-1"]?.partition == 0)
        let snapshot = health.snapshot
        #expect(snapshot.stateReady)
        #expect(!snapshot.restore.restoring)
        #expect(snapshot.restore.recordsRead == 5)
        #expect(snapshot.restore.recordsTotal == 5)
        #expect(snapshot.restore.patients == 1)
        #expect(snapshot.restore.lastSeconds != nil)

        // The restored cooldown holds: the same spike again is suppressed, not alerted.
        let again = PatientEvent(id: "s-2", source: "test", time: Date().addingTimeInterval(-1800), patientId: "R-1", payload: .craving(Craving(score: 9)))
        let result = loop.store.withState(of: "R-1") { engine.process(again, state: &$0, detectedAt: Date()) }
        #expect(result.alert == nil)
        #expect(result.suppressed.map(\.reason) == [.cooldown])
    }

    @Test("while a restore runs, readiness names the state")
    func notReadyWhileRestoring() {
        var snapshot = HealthState.Snapshot()
        snapshot.brokersConnected = true
        snapshot.inGroup = true
        snapshot.rulesLoaded = true
        snapshot.stateReady = false
        snapshot.restore.restoring = true
        #expect(snapshot.notReady == ["state"])
    }
}

private func heldPatients(_ store: PatientStore) -> Set<String> {
    var held: Set<String> = []
    store.forEach { _, patientId, _ in held.insert(patientId) }
    return held
}
