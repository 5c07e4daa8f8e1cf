import Dispatch
import Foundation
import Logging
import Synchronization
import VigilCore
import VigilKafka

/// The consume–decide–produce loop: polls input in batches, decodes, runs the rule engine, produces alerts,
/// dead-letter copies and state-changelog writes, fires due timers, and stores an input offset only once what it
/// caused is acknowledged by the broker (at-least-once; librdkafka's auto-commit commits only stored offsets).
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
    let clock: any WallClock
    let kafkaProperties: [String: String]
    var consumer: KafkaConsumer!
    var producer: KafkaProducer!
    var store = PatientStore()
    var tracker = OffsetTracker()
    var changelog = StateChangelog()
    /// Input partitions read to their end since assignment: timers fire on the wall clock only for patients whose
    /// partitions are all caught up, so that a check-in still waiting in a backlog is not reported missing.
    var caughtUp: Set<TopicPartition> = []
    var assignment: [TopicPartition] = []
    var merge: EventTimeMerge
    /// `exactly-once`: when the open transaction began; nil when none is open.
    var transactionStartedAt: Date?
    /// Whether anything was produced in the open transaction.
    var transactionHasOutputs = false
    /// The first delivery failure in the open transaction; it is aborted at its commit.
    var transactionFailure: KafkaError?
    var outbound: [UInt64: OutboundRecord] = [:]
    /// Bytes of the outputs awaiting acknowledgement: with `awaitingCount`, what bounds memory under backpressure.
    var awaitingBytes = 0
    var redeliveries: [(token: UInt64, due: Date)] = []
    /// Outputs whose delivery failed at least once and has not succeeded since: `publishing` is ready when empty.
    var failedTokens: Set<UInt64> = []
    var shutdownDeadline: Date?
    var lastHousekeeping = Date.distantPast
    var lastStatePersist = Date.distantPast
    var lastEviction = Date()
    var isPaused = false
    let stopRequested = Atomic<Bool>(false)
    let fatalKafkaError = Mutex<KafkaError?>(nil)

    /// Called on the processing thread with the nanoseconds from receipt to the alert's acknowledgement (`vigil bench`).
    var onAlertDelivered: ((UInt64) -> Void)?

    init(
        settings: ProcessingSettings, kafkaProperties: [String: String], groupId: String, engine: RuleEngine,
        decoder: EventDecoder, metrics: VigilMetrics, health: HealthState, logger: Logger,
        clock: any WallClock = SystemWallClock()
    ) throws(KafkaError) {
        self.settings = settings
        self.merge = EventTimeMerge(topics: settings.inputTopics, maxIdle: settings.maxIdle)
        self.clock = clock
        self.kafkaProperties = kafkaProperties
        self.engine = engine
        self.decoder = decoder
        self.metrics = metrics
        self.health = health
        self.logger = logger
        let errorHandler: @Sendable (KafkaError, Bool) -> Void = { [weak self] error, fatal in self?.kafkaError(error, fatal: fatal) }
        var producerProperties = kafkaProperties
        var consumerProperties = kafkaProperties
        if settings.guarantee == .exactlyOnce {
            producerProperties["transactional.id"] = settings.transactionalId
            // Offsets are committed inside the transactions, never on their own.
            consumerProperties["enable.auto.commit"] = "false"
        }
        producer = try KafkaProducer(
            properties: producerProperties, logger: logger,
            deliveryHandler: { [weak self] report in self?.delivered(report) },
            errorHandler: errorHandler
        )
        consumer = try KafkaConsumer(
            properties: consumerProperties, groupId: groupId, logger: logger,
            rebalanceHandler: { [weak self] event in self?.rebalanced(event) },
            errorHandler: errorHandler
        )
        consumer.endOfPartitionHandler = { [weak self] partition in
            self?.caughtUp.insert(partition)
            self?.merge.reachedEnd(partition)
        }
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
            if isTransactional { try initTransactions() }
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
        beginTransactionIfNeeded()
        if tracker.awaitingCount >= settings.maxAwaitingDelivery || awaitingBytes >= settings.maxAwaitingBytes {
            // Backpressure: pause fetching and wait for acknowledgements (bounded memory), while still polling
            // the consumer so that the group keeps this member (max.poll.interval.ms).
            if !isPaused {
                consumer.pauseAssigned()
                // Input may pile up at the broker while paused: no wall-clock timer fires until caught up again.
                caughtUp = []
            }
            isPaused = true
            producer.poll(timeout: .milliseconds(100))
            _ = consumer.poll(maxMessages: 1, timeout: .zero) { message in handle(message) }
        } else {
            if isPaused { consumer.resumeAssigned() }
            isPaused = false
            // While outputs await acknowledgement, come back soon to serve their delivery reports: an alert's latency
            // and its input's commit wait on that, not only on the broker.
            let timeout: Duration = tracker.awaitingCount > 0 || merge.bufferedCount > 0 ? .milliseconds(2) : .milliseconds(100)
            _ = consumer.poll(maxMessages: settings.batchSize, timeout: timeout) { message in
                handle(message)
            }
            producer.poll(timeout: .zero)
        }
        merge.release(now: Date()) { apply($0) }
        produceDueRedeliveries()
        housekeeping()
        if isTransactional {
            commitTransactionIfDue()
        } else {
            if Date().timeIntervalSince(lastStatePersist) >= settings.commitInterval {
                lastStatePersist = Date()
                persistChangedState()
            }
            storeOffsets()
        }
    }

    // MARK: Per message

    func handle(_ message: borrowing KafkaMessage) {
        let receivedAt = DispatchTime.now().uptimeNanoseconds
        let partition = TopicPartition(topic: message.topic, partition: message.partition)
        let entry = tracker.begin(partition, offset: message.offset, receivedAt: receivedAt)
        let now = clock.now()
        switch decoder.decode(message, now: now) {
        case .failure(let failure):
            metrics.consumed(type: nil)
            metrics.deadLettered(failure.code)
            logger.debug("dead-lettering an input message", metadata: [
                "vigil.error.code": .string(failure.code.rawValue), "kafka.topic": .string(message.topic),
                "kafka.partition": .stringConvertible(message.partition), "kafka.offset": .stringConvertible(message.offset),
            ])
            let record = DeadLetter.record(of: message, failure: failure, topic: settings.deadLetterTopic, failedAt: now)
            send(record, heldBack: entry)
            tracker.finish(entry, onDone: recordProcessingTime)
            merge.fetched(partition)
        case .success(let event):
            metrics.consumed(type: event.type)
            let item = EventTimeMerge.Item(event: event, entry: entry, topicIndex: merge.topicIndex(of: message.topic), offset: message.offset)
            // One input topic needs no merge (and the benchmark's single topic pays nothing for it).
            if settings.inputTopics.count == 1 { apply(item) } else { merge.add(item) }
        }
    }

    /// Runs the rules on an event released by the merge and sends what they decided.
    func apply(_ item: EventTimeMerge.Item) {
        defer { tracker.finish(item.entry, onDone: recordProcessingTime) }
        let event = item.event
        let result = store.withState(of: event.patientId) { state in
            state.partition = item.partition
            return engine.process(event, state: &state, detectedAt: clock.now())
        }
        if result.isDuplicate {
            metrics.duplicates.increment()
            return
        }
        for suppression in result.suppressed {
            metrics.alertSuppressed(rule: suppression.rule, reason: suppression.reason)
        }
        for alert in result.timerAlerts { send(alert, heldBack: item.entry) }
        if let alert = result.alert { send(alert, heldBack: item.entry) }
        changelog.changed(event.patientId, partition: item.partition, entry: heldBack(item.entry), tracker: &tracker)
    }

    /// Produces `record`; `heldBack` (nil for outputs of timers) waits for its acknowledgement.
    func send(_ record: OutboundRecord, heldBack entry: OffsetTracker.EntryRef?, alertOf patientId: String? = nil) {
        let token = tracker.newOutput()
        if let entry = entry.flatMap(heldBack) { tracker.attach(token, to: entry) }
        // Registered before producing: a full local queue serves delivery reports inside `produce`.
        if let patientId { changelog.outputSent(token, patientId: patientId) }
        outbound[token] = record
        awaitingBytes += record.byteCount
        produce(record, token: token)
    }

    func send(_ alert: Alert, heldBack entry: OffsetTracker.EntryRef?) {
        let record = OutboundRecord(
            topic: settings.alertsTopic, key: Array(alert.patientId.utf8), value: AlertEncoder.encode(alert),
            headers: [.structuredCloudEvent], alert: (alert.rule, alert.severity.name)
        )
        send(record, heldBack: entry, alertOf: alert.patientId)
    }

    /// The entry an output holds back: none in `exactly-once`, where the transaction commits outputs and offsets
    /// together and an offset need not wait for acknowledgements.
    func heldBack(_ entry: OffsetTracker.EntryRef) -> OffsetTracker.EntryRef? {
        isTransactional ? nil : entry
    }

    func recordProcessingTime(since receivedAt: UInt64) {
        metrics.processingTime.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - receivedAt))
    }
}
