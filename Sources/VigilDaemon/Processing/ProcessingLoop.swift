import Dispatch
import Foundation
import Logging
import Synchronization
import VigilCore
import VigilKafka

/// The consume–decide–produce loop: polls input in batches, decodes, runs the rule engine, produces alerts and
/// dead-letter copies, and stores an input offset only once what it caused is acknowledged by the broker
/// (at-least-once; librdkafka's auto-commit commits only stored offsets).
///
/// Runs on one dedicated thread (`run()`), never on Swift's cooperative pool: librdkafka's polls block.
final class ProcessingLoop: @unchecked Sendable {
    // @unchecked Sendable: all mutable state below is touched only by the thread inside `run()`, including the
    // librdkafka callbacks (rebalance, delivery reports), which librdkafka serves inside that thread's polls.
    // What other threads touch is atomic or behind a mutex (`stopRequested`, `fatalKafkaError`, `health`, `metrics`).
    let settings: ProcessingSettings
    let decoder: EventDecoder
    let engine: RuleEngine
    let metrics: VigilMetrics
    let health: HealthState
    let logger: Logger
    var consumer: KafkaConsumer!
    var producer: KafkaProducer!
    var store = PatientStore()
    var tracker = OffsetTracker()
    var outbound: [UInt64: OutboundRecord] = [:]
    /// Bytes of the outputs awaiting acknowledgement: with `awaitingCount`, what bounds memory under backpressure.
    var awaitingBytes = 0
    var redeliveries: [(token: UInt64, due: Date)] = []
    /// Outputs whose delivery failed at least once and has not succeeded since: `publishing` is ready when empty.
    var failedTokens: Set<UInt64> = []
    /// Partitions given up by the last revoke; their patients' state is dropped only if the next assignment does
    /// not bring them back (an eager rebalance revokes everything, then usually returns most of it).
    var revokedPartitions: Set<Int32> = []
    var shutdownDeadline: Date?
    var lastHousekeeping = Date.distantPast
    var lastEviction = Date()
    var isPaused = false
    let stopRequested = Atomic<Bool>(false)
    let fatalKafkaError = Mutex<KafkaError?>(nil)

    /// Called on the processing thread with the nanoseconds from receipt to the alert's acknowledgement (`vigil bench`).
    var onAlertDelivered: ((UInt64) -> Void)?

    init(
        settings: ProcessingSettings, kafkaProperties: [String: String], groupId: String, engine: RuleEngine,
        decoder: EventDecoder, metrics: VigilMetrics, health: HealthState, logger: Logger
    ) throws(KafkaError) {
        self.settings = settings
        self.engine = engine
        self.decoder = decoder
        self.metrics = metrics
        self.health = health
        self.logger = logger
        let errorHandler: @Sendable (KafkaError, Bool) -> Void = { [weak self] error, fatal in self?.kafkaError(error, fatal: fatal) }
        producer = try KafkaProducer(
            properties: kafkaProperties, logger: logger,
            deliveryHandler: { [weak self] report in self?.delivered(report) },
            errorHandler: errorHandler
        )
        consumer = try KafkaConsumer(
            properties: kafkaProperties, groupId: groupId, logger: logger,
            rebalanceHandler: { [weak self] event in self?.rebalanced(event) },
            errorHandler: errorHandler
        )
    }

    /// Asks `run()` to finish the message in hand, wait for acknowledgements, commit, leave the group and return.
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// The partition count of each topic, nil for a missing one (start-up checks; blocking).
    func partitionCounts(of topics: [String], timeout: TimeInterval) throws(KafkaError) -> [String: Int?] {
        var counts: [String: Int?] = [:]
        for topic in topics {
            counts[topic] = try consumer.partitionCount(topic: topic, timeout: .seconds(timeout))
        }
        return counts
    }

    func isConnected(timeout: TimeInterval) -> Bool {
        consumer.isConnected(timeout: .seconds(timeout))
    }

    func run() throws {
        do {
            try consumer.subscribe(topics: settings.inputTopics)
            logger.info("processing started", metadata: ["vigil.topics": .string(settings.inputTopics.joined(separator: ","))])
            while !stopRequested.load(ordering: .acquiring) {
                if let error = fatalKafkaError.withLock({ $0 }) { throw error }
                step()
            }
        } catch {
            abandon()
            throw error
        }
        try drain()
    }

    /// One turn of the loop: take a batch of input (or, under backpressure, only wait for acknowledgements),
    /// serve delivery reports, store what became storable.
    func step() {
        if tracker.awaitingCount >= settings.maxAwaitingDelivery || awaitingBytes >= settings.maxAwaitingBytes {
            // Backpressure: pause fetching and wait for acknowledgements (bounded memory), while still polling
            // the consumer so that the group keeps this member (max.poll.interval.ms).
            if !isPaused { consumer.pauseAssigned() }
            isPaused = true
            producer.poll(timeout: .milliseconds(100))
            _ = consumer.poll(maxMessages: 1, timeout: .zero) { message in handle(message) }
        } else {
            if isPaused { consumer.resumeAssigned() }
            isPaused = false
            // While outputs await acknowledgement, come back soon to serve their delivery reports: an alert's latency
            // and its input's commit wait on that, not only on the broker.
            let timeout: Duration = tracker.awaitingCount > 0 ? .milliseconds(2) : .milliseconds(100)
            _ = consumer.poll(maxMessages: settings.batchSize, timeout: timeout) { message in
                handle(message)
            }
            producer.poll(timeout: .zero)
        }
        produceDueRedeliveries()
        storeOffsets()
        housekeeping()
    }

    // MARK: Per message

    func handle(_ message: borrowing KafkaMessage) {
        let receivedAt = DispatchTime.now().uptimeNanoseconds
        let partition = TopicPartition(topic: message.topic, partition: message.partition)
        let now = Date()
        switch decoder.decode(message, now: now) {
        case .failure(let failure):
            metrics.consumed(type: nil)
            metrics.deadLettered(failure.code)
            logger.debug("dead-lettering an input message", metadata: [
                "vigil.error.code": .string(failure.code.rawValue), "kafka.topic": .string(message.topic),
                "kafka.partition": .stringConvertible(message.partition), "kafka.offset": .stringConvertible(message.offset),
            ])
            let record = DeadLetter.record(of: message, failure: failure, topic: settings.deadLetterTopic, failedAt: now)
            send(record, partition: partition, offset: message.offset, receivedAt: receivedAt)
        case .success(let event):
            metrics.consumed(type: event.type)
            let result = store.withState(of: event.patientId) { state in
                state.partition = message.partition
                return engine.process(event, state: &state, detectedAt: now)
            }
            if result.isDuplicate { metrics.duplicates.increment() }
            for suppression in result.suppressed {
                metrics.alertSuppressed(rule: suppression.rule, reason: suppression.reason)
            }
            if let alert = result.alert {
                let record = OutboundRecord(
                    topic: settings.alertsTopic, key: Array(alert.patientId.utf8), value: AlertEncoder.encode(alert),
                    headers: [.structuredCloudEvent], alert: (alert.rule, alert.severity.name)
                )
                send(record, partition: partition, offset: message.offset, receivedAt: receivedAt)
            } else {
                tracker.complete(partition, offset: message.offset, receivedAt: receivedAt, onDone: recordProcessingTime)
            }
        }
    }

    func send(_ record: OutboundRecord, partition: TopicPartition, offset: Int64, receivedAt: UInt64) {
        let token = tracker.await(partition, offset: offset, receivedAt: receivedAt)
        outbound[token] = record
        awaitingBytes += record.byteCount
        produce(record, token: token)
    }

    func recordProcessingTime(since receivedAt: UInt64) {
        metrics.processingTime.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - receivedAt))
    }
}
