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
    // What other threads touch is atomic or behind a mutex (`stopRequested`, `fatalError`, `health`, `metrics`).
    private let settings: ProcessingSettings
    private let decoder: EventDecoder
    private let engine: RuleEngine
    private let metrics: VigilMetrics
    private let health: HealthState
    private let logger: Logger
    private var consumer: KafkaConsumer!
    private var producer: KafkaProducer!
    private var store = PatientStore()
    private var tracker = OffsetTracker()
    private var outbound: [UInt64: OutboundRecord] = [:]
    /// Bytes of the outputs awaiting acknowledgement: with `awaitingCount`, what bounds memory under backpressure.
    private var awaitingBytes = 0
    private var redeliveries: [(token: UInt64, due: Date)] = []
    /// Outputs whose delivery failed at least once and has not succeeded since: `publishing` is ready when empty.
    private var failedTokens: Set<UInt64> = []
    /// Partitions given up by the last revoke; their patients' state is dropped only if the next assignment does
    /// not bring them back (an eager rebalance revokes everything, then usually returns most of it).
    private var revokedPartitions: Set<Int32> = []
    private var shutdownDeadline: Date?
    private var lastHousekeeping = Date.distantPast
    private var lastEviction = Date()
    private var isPaused = false
    private let stopRequested = Atomic<Bool>(false)
    private let fatalError = Mutex<KafkaError?>(nil)
    private static let alertHeaders = [KafkaHeader(key: "content-type", value: Array(AlertEncoder.contentType.utf8))]

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
                if let error = fatalError.withLock({ $0 }) { throw error }
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
    private func step() {
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
            _ = consumer.poll(maxMessages: settings.batchSize, timeout: .milliseconds(100)) { message in
                handle(message)
            }
            producer.poll(timeout: .zero)
        }
        produceDueRedeliveries()
        storeOffsets()
        housekeeping()
    }

    // MARK: Per message

    private func handle(_ message: borrowing KafkaMessage) {
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
                    headers: Self.alertHeaders, alert: (alert.rule, alert.severity.name)
                )
                send(record, partition: partition, offset: message.offset, receivedAt: receivedAt)
            } else {
                tracker.complete(partition, offset: message.offset, receivedAt: receivedAt, onDone: recordProcessingTime)
            }
        }
    }

    private func send(_ record: OutboundRecord, partition: TopicPartition, offset: Int64, receivedAt: UInt64) {
        let token = tracker.await(partition, offset: offset, receivedAt: receivedAt)
        outbound[token] = record
        awaitingBytes += record.byteCount
        produce(record, token: token)
    }

    private func produce(_ record: OutboundRecord, token: UInt64) {
        do {
            try record.produce(with: producer, token: token)
        } catch {
            failed(token, error: error, topic: record.topic)
        }
    }

    /// A produce or delivery failure: produced again after a back-off, unless no retry can succeed, in which
    /// case the daemon stops (exit 70) rather than skip the message or retry forever.
    private func failed(_ token: UInt64, error: KafkaError, topic: String) {
        metrics.kafkaError(operation: "produce")
        if error.isPermanentProduceFailure {
            logger.critical("the broker will never accept an output; stopping without committing its input", metadata: [
                "kafka.topic": .string(topic), "kafka.error": .string(error.description),
            ])
            fatalError.withLock { $0 = $0 ?? error }
            return
        }
        logger.warning("delivery failed; producing again", metadata: ["kafka.topic": .string(topic), "kafka.error": .string(error.description)])
        failedTokens.insert(token)
        redeliveries.append((token, Date().addingTimeInterval(settings.redeliveryBackoff)))
        updatePublishing()
    }

    private func updatePublishing() {
        let publishing = failedTokens.isEmpty
        guard health.snapshot.publishing != publishing else { return }
        health.update { $0.publishing = publishing }
        if publishing { logger.notice("publishing recovered") }
    }

    private func recordProcessingTime(since receivedAt: UInt64) {
        metrics.processingTime.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - receivedAt))
    }

    // MARK: Callbacks (served inside this thread's polls)

    private func delivered(_ report: DeliveryReport) {
        guard let record = outbound[report.token] else { return }
        if let error = report.error {
            failed(report.token, error: error, topic: report.topic)
            return
        }
        outbound[report.token] = nil
        awaitingBytes -= record.byteCount
        if let alert = record.alert, let severity = Severity(name: alert.severity) {
            metrics.alertPublished(rule: alert.rule, severity: severity)
        }
        let receivedAt = tracker.delivered(report.token, onDone: recordProcessingTime)
        if record.alert != nil, let receivedAt, let onAlertDelivered {
            onAlertDelivered(DispatchTime.now().uptimeNanoseconds - receivedAt)
        }
        if failedTokens.remove(report.token) != nil { updatePublishing() }
    }

    private func produceDueRedeliveries() {
        guard !redeliveries.isEmpty else { return }
        let now = Date()
        let due = redeliveries.filter { $0.due <= now }
        redeliveries.removeAll { $0.due <= now }
        for (token, _) in due {
            guard let record = outbound[token] else { continue }
            produce(record, token: token)
        }
    }

    private func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned(let partitions):
            logger.info("partitions assigned", metadata: ["kafka.partitions": .stringConvertible(partitions.count)])
            isPaused = false
            let kept = Set(partitions.map(\.partition))
            store.drop(partitions: revokedPartitions.subtracting(kept))
            revokedPartitions = []
            health.update { snapshot in
                snapshot.inGroup = true
                snapshot.partitions = partitions.map { .init(topic: $0.topic, partition: $0.partition, lag: nil) }
            }
        case .revoked(let partitions):
            logger.info("partitions revoked; finishing what is in hand", metadata: ["kafka.partitions": .stringConvertible(partitions.count)])
            health.update { snapshot in
                snapshot.inGroup = false
                snapshot.partitions = []
            }
            let timeout = shutdownDeadline.map { max(0, $0.timeIntervalSinceNow) } ?? settings.shutdownTimeout
            if !producer.flush(timeout: .milliseconds(Int64(timeout * 1000))) {
                logger.warning("not every output was acknowledged before the revoke; their inputs will be redelivered")
            }
            storeOffsets()
            commit()
            tracker.forget(partitions)
            for (token, record) in outbound where !tracker.isAwaiting(token) {
                awaitingBytes -= record.byteCount
                outbound[token] = nil
            }
            redeliveries.removeAll { !tracker.isAwaiting($0.token) }
            failedTokens = failedTokens.filter(tracker.isAwaiting)
            updatePublishing()
            revokedPartitions.formUnion(partitions.map(\.partition))
            for partition in partitions { metrics.forgetLag(topic: partition.topic, partition: partition.partition) }
        }
    }

    private func kafkaError(_ error: KafkaError, fatal: Bool) {
        if fatal {
            logger.critical("fatal Kafka error", metadata: ["kafka.error": .string(error.description)])
            fatalError.withLock { $0 = error }
        } else {
            logger.warning("Kafka error", metadata: ["kafka.error": .string(error.description)])
            metrics.kafkaError(operation: error.code == .commit ? "commit" : error.code == .produce ? "produce" : "poll")
        }
    }

    // MARK: Offsets, housekeeping, shutdown

    private func storeOffsets() {
        let storable = tracker.takeStorable()
        guard !storable.isEmpty else { return }
        do {
            try consumer.storeOffsets(Dictionary(storable, uniquingKeysWith: max))
        } catch {
            // Usually a partition revoked meanwhile: its new owner redelivers what was not committed.
            logger.debug("offsets not stored", metadata: ["kafka.error": .string(error.description)])
        }
    }

    private func commit() {
        do {
            try consumer.commit()
        } catch {
            metrics.kafkaError(operation: "commit")
            logger.warning("commit failed", metadata: ["kafka.error": .string(error.description)])
        }
    }

    private func housekeeping() {
        let now = Date()
        guard now.timeIntervalSince(lastHousekeeping) >= 1 else { return }
        lastHousekeeping = now
        health.loopBeat(now: now)
        let lags = consumer.assignmentLag()
        for (partition, lag) in lags {
            if let lag { metrics.consumerLag(topic: partition.topic, partition: partition.partition, lag: lag) }
        }
        health.update { snapshot in
            snapshot.partitions = lags.map { .init(topic: $0.0.topic, partition: $0.0.partition, lag: $0.1) }
        }
        if now.timeIntervalSince(lastEviction) >= 60 {
            lastEviction = now
            store.evictIdle(retention: max(engine.retention, 86_400))
        }
    }

    /// Graceful stop within `shutdownTimeout`: most of it waiting for acknowledgements, the rest reserved for the
    /// final commit and leaving the group.
    private func drain() throws {
        let start = Date()
        let deadline = start.addingTimeInterval(settings.shutdownTimeout)
        let acknowledgementDeadline = start.addingTimeInterval(settings.shutdownTimeout * 0.8)
        shutdownDeadline = deadline
        logger.info("stopping: waiting for acknowledgements", metadata: ["vigil.awaiting": .stringConvertible(tracker.awaitingCount)])
        while tracker.awaitingCount > 0, Date() < acknowledgementDeadline, fatalError.withLock({ $0 }) == nil {
            producer.poll(timeout: .milliseconds(100))
            produceDueRedeliveries()
            storeOffsets()
        }
        storeOffsets()
        commit()
        let unacknowledged = tracker.awaitingCount
        shutdownDeadline = Date()
        consumer.close()
        if let error = fatalError.withLock({ $0 }) { throw error }
        guard unacknowledged == 0 else {
            throw DaemonError(.shutdownIncomplete, "\(unacknowledged) outputs were not acknowledged within \(Int(settings.shutdownTimeout)) s; their inputs stay uncommitted")
        }
        logger.info("stopped cleanly: offsets committed, group left")
    }

    /// After a fatal error: commit what is finished and leave the group without waiting for anything else.
    private func abandon() {
        shutdownDeadline = Date()
        storeOffsets()
        commit()
        consumer.close()
    }
}
