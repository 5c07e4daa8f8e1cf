internal import CRdKafka
import Logging
import Synchronization

/// A Kafka consumer group member over librdkafka's high-level consumer.
///
/// Offsets are stored explicitly (`storeOffset`) once the caller has finished with a message and committed by
/// librdkafka's auto-commit (default every second) or `commit()`: at-least-once. The range assignor is forced, so
/// partition p of every subscribed topic goes to the same member (co-partitioning).
///
/// `@unchecked Sendable`: `poll` and `close` must be called from one thread at a time (the poll thread), as
/// documented on them; everything else is thread-safe in librdkafka or guarded here.
public final class KafkaConsumer: @unchecked Sendable {
    let client: KafkaClient
    let queue: OpaquePointer
    let batch = MessageBatch(capacity: 1024)
    private let closed = Atomic(false)
    /// Joined with a `group.instance.id` (KIP-345 static membership).
    let isStaticMember: Bool

    var logger: Logger { client.context.logger }

    /// Called on the poll thread each time the consumer reaches the end of a partition (everything fetched that
    /// the broker had): how the caller knows it has caught up. Set before the first poll.
    public var endOfPartitionHandler: ((TopicPartition) -> Void)?

    /// - Parameters:
    ///   - properties: raw librdkafka properties (bootstrap.servers, TLS, SASL, tuning), applied first. Then the
    ///     wrapper forces `group.id`, `enable.auto.offset.store=false` and `partition.assignment.strategy=range`,
    ///     and defaults, only if not given, `enable.auto.commit=true`, `auto.commit.interval.ms=1000`,
    ///     `auto.offset.reset=earliest`, `enable.partition.eof=true` (for `endOfPartitionHandler`) and
    ///     `queued.max.messages.kbytes=65536` (prefetch bounded at 64 MiB; a 16 MiB bound starved the loop of
    ///     input on a backlog, at two thirds of the throughput) and `queued.min.messages=1000000`, so that the byte
    ///     bound governs the prefetch: librdkafka (2.0) stops fetching every partition of the consumer queue for
    ///     `fetch.error.backoff.ms` (500 ms) once either bound is reached, and at the default 100,000 messages (37 MB
    ///     of events) the processing loops sat idle waiting for input on a backlog.
    ///   - logger: receives librdkafka's logs (metadata `kafka.facility`), from any thread.
    ///   - rebalanceHandler: called on the poll thread; `.revoked` before the partitions are given up.
    ///   - errorHandler: librdkafka's errors (`error_cb`) and consumer errors, on the poll thread; `fatal` means
    ///     the consumer is unusable.
    /// - Throws: `.configuration`, naming the property, for a bad property or an empty group id.
    public init(
        properties: [String: String],
        groupId: String,
        logger: Logger,
        rebalanceHandler: @escaping @Sendable (RebalanceEvent) -> Void,
        errorHandler: @escaping @Sendable (KafkaError, _ fatal: Bool) -> Void
    ) throws(KafkaError) {
        guard !groupId.isEmpty else {
            throw KafkaError(code: .configuration, message: "Kafka property 'group.id': must not be empty")
        }
        let configuration = KafkaConfiguration(
            properties: properties,
            forced: [
                ("group.id", groupId),
                ("enable.auto.offset.store", "false"),
                ("partition.assignment.strategy", "range"),
            ],
            defaults: [
                ("enable.auto.commit", "true"),
                ("auto.commit.interval.ms", "1000"),
                ("auto.offset.reset", "earliest"),
                ("queued.max.messages.kbytes", "65536"),
                ("queued.min.messages", "1000000"),
                ("enable.partition.eof", "true"),
            ]
        )
        isStaticMember = !(properties["group.instance.id"] ?? "").isEmpty
        let context = CallbackContext(
            logger: logger,
            errorHandler: errorHandler,
            rebalance: RebalanceState(handler: rebalanceHandler)
        )
        client = try KafkaClient.make(RD_KAFKA_CONSUMER, configuration: configuration, context: context) {
            ConsumerCallbacks.install(on: $0)
        }
        // Route the main queue (errors, logs if log.queue is set) to the consumer queue, so one poll serves all.
        _ = rd_kafka_poll_set_consumer(client.handle)
        guard let queue = rd_kafka_queue_get_consumer(client.handle) else {
            throw KafkaError(code: .configuration, message: "Kafka consumer has no group queue")
        }
        self.queue = queue
    }

    deinit {
        close()
        rd_kafka_queue_destroy(queue)
    }

    public func subscribe(topics: [String]) throws(KafkaError) {
        let list = TopicPartitionList(
            topics.map { TopicPartition(topic: $0, partition: unassignedPartition) },
            capacity: topics.count
        )
        let result = rd_kafka_subscribe(client.handle, list.pointer)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, operation: .configuration, "Subscribing to \(topics)")
        }
    }

    /// Leaves the group cleanly: the final revoke is served through the rebalance handler on the calling thread,
    /// auto-committed offsets are committed, the group is told. Idempotent. Call from the poll thread.
    ///
    /// A static member (`group.instance.id`) is not told to leave by librdkafka's close (KIP-345: the group keeps
    /// its partitions for it until its session times out, which suits a restart but stalls a scale-down). So it
    /// unsubscribes first, which does send LeaveGroup once the revoke is served, unless `leavingGroup` is false
    /// (a fenced or fatally failed consumer has nothing to tell the group).
    public func close(leavingGroup: Bool = true) {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        if isStaticMember, leavingGroup { leaveAsStaticMember() }
        let result = rd_kafka_consumer_close(client.handle)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning(
                "Kafka consumer did not close cleanly",
                metadata: ["kafka.error": "\(KafkaError.text(of: result))"]
            )
        }
    }

    /// Unsubscribes and serves the queue until the revoke has run and librdkafka has left the group (it sends
    /// LeaveGroup once the unassign completes, clearing its member id, and its close waits for the answer), for at
    /// most 5 s: closing earlier would skip the leave. Messages fetched meanwhile are dropped: nothing past the
    /// last commit is processed any more, and the partitions' next owner fetches them again.
    private func leaveAsStaticMember() {
        guard rd_kafka_unsubscribe(client.handle) == RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let message = rd_kafka_consume_queue(queue, 50) { rd_kafka_message_destroy(message) }
            if !hasAssignment, !hasMemberId { return }
        }
        logger.warning("A static member did not leave its group within 5 s; closing anyway (the group waits for its session timeout)")
    }

    private var hasAssignment: Bool {
        var assignment: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.handle, &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR, let list = assignment else { return false }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return list.pointee.cnt > 0
    }

    private var hasMemberId: Bool {
        guard let memberId = rd_kafka_memberid(client.handle) else { return false }
        defer { rd_kafka_mem_free(client.handle, memberId) }
        return memberId.pointee != 0
    }

    public var isClosed: Bool {
        closed.load(ordering: .acquiring)
    }
}
