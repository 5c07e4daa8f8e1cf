import Dispatch
import Foundation
import Logging
import Synchronization
import VigilCore
import VigilKafka

/// The consume–decide–produce loop. It wires small parts that each own their state:
/// - `EventTimeMerge` orders co-partitioned input by event time;
/// - the rule engine decides, and alerts go out at once through the `OutboundQueue`;
/// - `Checkpointer` makes the work durable: dirty patients' state written once per checkpoint, input offsets
///   committed once the checkpoint's alerts and state writes are acknowledged (at-least-once), or in one
///   transaction per checkpoint (exactly-once);
/// - `TimerIndex` fires absence timers and escalations as they come due, and drops idle patients.
///
/// Runs on one dedicated thread (`run()`), never on Swift's cooperative pool: librdkafka's polls block.
final class ProcessingLoop: @unchecked Sendable {
    // @unchecked Sendable: all mutable state below is touched only by the thread inside `run()`, including the
    // librdkafka callbacks (rebalance, delivery reports), which librdkafka serves inside that thread's polls.
    // What other threads touch is atomic or behind a mutex (`stopRequested`, `fatalKafkaError`, `health`, `metrics`).
    let settings: ProcessingSettings
    let decoder: EventDecoder
    /// Replaced only between two events, from `engineHandoff` (a rule reload). Read through a local reference
    /// (`let rules = rulesInForce`), so that the engine is borrowed, never copied.
    private(set) var rulesInForce: RulesInForce
    let engineHandoff = EngineHandoff()
    private var engineGeneration: UInt64 = 0
    let metrics: VigilMetrics
    let health: HealthState
    let logger: Logger
    let clock: any WallClock
    let kafkaProperties: [String: String]
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    var store = PatientStore()
    var merge: EventTimeMerge
    var outbound = OutboundQueue()
    var checkpoints: Checkpointer
    var backpressure = Backpressure()
    /// Per input partition number, the patients by their next timer (absence rules, escalation).
    var timers: [Int32: TimerIndex<[PatientSlot: Date]>] = [:]
    /// Patients by the event time at which they may have been idle for `stateRetention` (checked when due).
    var idlePatients = TimerIndex<SlotDueTable>()
    /// The newest event time this instance has seen: retention is measured from it.
    var newestEventTime = Date.distantPast
    /// Input partitions read to their end since assignment: timers fire on the wall clock only for patients whose
    /// partitions are all caught up, so that a check-in still waiting in a backlog is not reported missing.
    var caughtUp: Set<TopicPartition> = []
    var assignment: [TopicPartition] = []
    var transaction = TransactionState()
    /// Outputs held back for the next transaction while one was committing (exactly-once; tests see the path run).
    var outputsHeldBack = 0
    /// Set when stopping: the final revoke (inside leaving the group) completes checkpoints without waiting.
    var stoppedWaitingAt: Date?
    var lastHousekeeping = Date.distantPast
    var lastEviction: Date
    let stopRequested = Atomic<Bool>(false)
    /// Input messages taken from the consumer so far (`vigil bench` watches it instead of scraping metrics).
    let messagesTaken = Atomic<Int>(0)
    /// Set (each second) while every assigned partition is read to its end and everything handled is committed.
    let isCaughtUpAndIdle = Atomic<Bool>(false)
    /// `vigil bench`: stop as a crash would, without completing or committing anything.
    let crashRequested = Atomic<Bool>(false)
    let fatalKafkaError = Mutex<KafkaError?>(nil)

    /// Called on the processing thread with the nanoseconds from receipt to the alert's acknowledgement (`vigil bench`).
    var onAlertDelivered: ((UInt64) -> Void)?

    init(
        settings: ProcessingSettings, kafkaProperties: [String: String], groupId: String, engine: RuleEngine,
        decoder: EventDecoder, metrics: VigilMetrics, health: HealthState, logger: Logger,
        clock: any WallClock = SystemWallClock()
    ) throws(KafkaError) {
        let callbacks = LoopCallbacks()
        var producerProperties = kafkaProperties
        var consumerProperties = kafkaProperties
        // Offsets are committed explicitly, per checkpoint (or inside its transaction), never by a timer.
        consumerProperties["enable.auto.commit"] = "false"
        // Static group membership is the consumer's (a producer would warn about a consumer property).
        consumerProperties["group.instance.id"] = settings.groupInstanceId
        producerProperties["group.instance.id"] = nil
        if settings.guarantee == .exactlyOnce {
            producerProperties["transactional.id"] = settings.transactionalId
        }
        producer = try KafkaProducer(
            properties: producerProperties, logger: logger,
            deliveryHandler: { report in callbacks.loop?.delivered(report) },
            errorHandler: { error, fatal in callbacks.loop?.kafkaError(error, fatal: fatal) }
        )
        consumer = try KafkaConsumer(
            properties: consumerProperties, groupId: groupId, logger: logger,
            rebalanceHandler: { event in callbacks.loop?.rebalanced(event) },
            errorHandler: { error, fatal in callbacks.loop?.kafkaError(error, fatal: fatal) }
        )
        self.settings = settings
        self.merge = EventTimeMerge(topics: settings.inputTopics, maxIdle: settings.maxIdle)
        self.clock = clock
        self.kafkaProperties = kafkaProperties
        self.rulesInForce = RulesInForce(engine)
        self.decoder = decoder
        self.metrics = metrics
        self.health = health
        self.logger = logger
        let now = clock.now()
        checkpoints = Checkpointer(now: now)
        lastEviction = now
        callbacks.loop = self
        consumer.endOfPartitionHandler = { [weak self] partition in self?.caughtUp(partition) }
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

    /// `vigil bench`: makes `run()` stop as a crash would.
    func simulateCrash() {
        crashRequested.store(true, ordering: .releasing)
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
                if crashRequested.load(ordering: .acquiring) { return crash() }
                step()
            }
        } catch {
            abandon()
            throw error
        }
        try drain()
    }

    /// One turn of the loop: take a batch of input (unless backpressure holds it back), serve delivery reports,
    /// fire what came due, and move the checkpoints on.
    func step() {
        beginTransactionIfNeeded()
        let now = clock.now()
        let awaiting = outbound.count + transaction.deferred.count
        switch backpressure.update(awaiting: awaiting, bytes: outbound.bytes + transaction.deferredBytes, settings: settings, now: now) {
        case .flowing:
            if backpressure.consumerPaused { resumeInput() }
            // While outputs await acknowledgement, come back soon to serve their delivery reports: an alert's latency
            // and its checkpoint wait on that, not only on the broker.
            let timeout: Duration = awaiting == 0 && transaction.committing == nil && merge.bufferedCount == 0 ? .milliseconds(100) : .milliseconds(1)
            takeInput(timeout: timeout)
            producer.poll(timeout: .zero)
        case .holding:
            // Backpressure: take no input and wait for acknowledgements. Prefetched input stays in librdkafka's queue,
            // where a check-in may wait: no wall-clock timer fires until caught up again.
            caughtUp.removeAll()
            producer.poll(timeout: .milliseconds(50))
        case .pausing:
            // Held so long that the group needs this member to poll (max.poll.interval.ms): pause fetching, which
            // drops the prefetched input (fetched again on resume), and keep polling the consumer.
            if !backpressure.consumerPaused { pauseInput() }
            producer.poll(timeout: .milliseconds(50))
            _ = consumer.poll(maxMessages: 1, timeout: .zero) { message in handle(message) }
        }
        merge.release(now: clock.now()) { apply($0) }
        produceDueRetries()
        housekeeping()
        advanceCheckpoints()
    }

    /// One consumer poll; with several input topics, a partition whose last fetch reached the high watermark counts
    /// as caught up, so that the merge does not wait on it.
    private func takeInput(timeout: Duration) {
        guard settings.inputTopics.count > 1 else {
            let taken = consumer.poll(maxMessages: settings.batchSize, timeout: timeout) { message in handle(message) }
            messagesTaken.add(taken, ordering: .relaxed)
            return
        }
        var lastOffsets: [TopicPartition: Int64] = [:]
        let taken = consumer.poll(maxMessages: settings.batchSize, timeout: timeout) { message in
            lastOffsets[TopicPartition(topic: message.topic, partition: message.partition)] = message.offset
            handle(message)
        }
        messagesTaken.add(taken, ordering: .relaxed)
        for (partition, offset) in lastOffsets {
            if let high = consumer.cachedHighWatermark(partition), high <= offset + 1 { caughtUp(partition) }
        }
    }

    func caughtUp(_ partition: TopicPartition) {
        caughtUp.insert(partition)
        merge.reachedEnd(partition)
    }

    // MARK: Per message

    func handle(_ message: borrowing KafkaMessage) {
        adoptReloadedRules()
        let receivedAt = DispatchTime.now().uptimeNanoseconds
        let partition = TopicPartition(topic: message.topic, partition: message.partition)
        checkpoints.handled(partition, offset: message.offset)
        let now = clock.now()
        switch decoder.decode(message, now: now) {
        case .failure(let failure):
            metrics.consumed(type: nil)
            metrics.deadLettered(failure.code)
            logger.debug("dead-lettering an input message", metadata: [
                "vigil.error.code": .string(failure.code.rawValue), "kafka.topic": .string(message.topic),
                "kafka.partition": .stringConvertible(message.partition), "kafka.offset": .stringConvertible(message.offset),
            ])
            send(DeadLetter.record(of: message, failure: failure, topic: settings.deadLetterTopic, failedAt: now))
            merge.fetched(partition)
            recordProcessingTime(since: receivedAt)
        case .success(let event):
            metrics.consumed(type: event.type)
            let item = EventTimeMerge.Item(event: event, partition: message.partition, topicIndex: merge.topicIndex(of: message.topic), offset: message.offset, receivedAt: receivedAt)
            // One input topic needs no merge (and the benchmark's single topic pays nothing for it).
            if settings.inputTopics.count == 1 { apply(item, now: now) } else { merge.add(item) }
        }
    }

    /// Takes a reloaded engine, if one was offered: between two events, never inside one. Patient state is keyed by
    /// rule id, so a rule that keeps its id keeps its cooldowns and escalations.
    func adoptReloadedRules() {
        guard let reloaded = engineHandoff.take(after: &engineGeneration) else { return }
        rulesInForce = RulesInForce(reloaded)
        logger.debug("the processing loop took over the reloaded rules", metadata: ["vigil.rules": .stringConvertible(reloaded.rules.count)])
    }

    /// Runs the rules on an event released by the merge and sends what they decided at once. `now`: the clock's
    /// time, when the caller has just read it (one clock read an event fewer).
    func apply(_ item: EventTimeMerge.Item, now: Date? = nil) {
        defer { recordProcessingTime(since: item.receivedAt) }
        let event = item.event
        let slot = store.slot(for: event.patientId)
        let rules = rulesInForce
        let detectedAt = now ?? clock.now()
        let (result, nextDue) = store.withState(in: slot) { state in
            state.partition = item.partition
            let result = rules.engine.process(event, state: &state, detectedAt: detectedAt)
            return (result, rules.engine.nextTimerDue(state))
        }
        if result.isDuplicate {
            metrics.duplicates.increment()
            return
        }
        for suppression in result.suppressed {
            metrics.alertSuppressed(rule: suppression.rule, reason: suppression.reason)
        }
        for rule in result.shadowMatches { metrics.shadowMatched(rule: rule) }
        for rule in result.ruleFailures { metrics.ruleFailed(rule: rule) }
        for alert in result.timerAlerts { send(alert, receivedAt: item.receivedAt) }
        if let alert = result.alert { send(alert, receivedAt: item.receivedAt) }
        checkpoints.changed(slot, partition: item.partition)
        timers[item.partition, default: TimerIndex()].schedule(slot, at: nextDue)
        if event.time > newestEventTime { newestEventTime = event.time }
        // Idle patients are found lazily: scheduled once, checked (and rescheduled if active) when due.
        if idlePatients.due(of: slot) == nil {
            idlePatients.schedule(slot, at: event.time.addingTimeInterval(settings.stateRetention))
        }
    }

    func send(_ alert: Alert, receivedAt: UInt64? = nil) {
        let record = OutboundRecord(
            topic: settings.alertsTopic, key: Array(alert.patientId.utf8), value: AlertEncoder.encode(alert),
            headers: [.structuredCloudEvent], alert: (alert.rule, alert.severity, alert.notify)
        )
        send(record, receivedAt: receivedAt)
    }

    func recordProcessingTime(since receivedAt: UInt64) {
        metrics.processingTime.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - receivedAt))
    }
}

/// Lets librdkafka's callbacks, registered before the loop exists, reach it once it does.
final class LoopCallbacks: @unchecked Sendable {
    // @unchecked Sendable: set once in the loop's initialiser, before any poll can call back.
    weak var loop: ProcessingLoop?
}

/// The rule engine in force, behind a reference: each event borrows the engine from it instead of copying it (a
/// copy of the struct retained and released its rules and timer policy, about 1.5% of an event).
final class RulesInForce: Sendable {
    let engine: RuleEngine

    init(_ engine: RuleEngine) {
        self.engine = engine
    }
}
