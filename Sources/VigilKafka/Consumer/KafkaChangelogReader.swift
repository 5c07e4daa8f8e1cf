internal import CRdKafka
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// Reads whole partitions of a changelog topic, from their first record to the high watermark they had when the
/// read began, outside any consumer group: how a restarting or newly assigned instance restores its state.
///
/// It assigns partitions explicitly and never subscribes or commits, so its `group.id` (librdkafka wants one for
/// the consumer queue) never joins a group. Use from one thread at a time.
public final class KafkaChangelogReader: @unchecked Sendable {
    let client: KafkaClient
    let queue: OpaquePointer
    let batch = MessageBatch(capacity: 1024)

    public init(properties: [String: String], logger: Logger) throws(KafkaError) {
        let configuration = KafkaConfiguration(
            // Never a group member: the daemon's static membership id is its consumer's alone.
            properties: properties.filter { $0.key != "group.instance.id" },
            forced: [
                ("group.id", "vigil-changelog-reader"),
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
                ("enable.partition.eof", "true"),
                // Only what committed transactions wrote is state.
                ("isolation.level", "read_committed"),
            ],
            // It reads up to a high watermark known at the start, as fast as it can: a fetch never needs to wait
            // for new data, a partition at its end must not hold a fetch back, and prefetching must not stop early.
            // With librdkafka's defaults (500 ms waits and back-offs, 100,000 queued messages) a restore of 200,000
            // patients stalled for half a second at a time and took 1.6 s instead of 1.1 s.
            defaults: [("fetch.wait.max.ms", "10"), ("fetch.error.backoff.ms", "10"), ("queued.min.messages", "1000000")]
        )
        let context = CallbackContext(logger: logger, errorHandler: { _, _ in })
        client = try KafkaClient.make(RD_KAFKA_CONSUMER, configuration: configuration, context: context)
        _ = rd_kafka_poll_set_consumer(client.handle)
        guard let queue = rd_kafka_queue_get_consumer(client.handle) else {
            throw KafkaError(code: .configuration, message: "Kafka changelog reader has no consumer queue")
        }
        self.queue = queue
    }

    deinit {
        rd_kafka_queue_destroy(queue)
    }

    /// The topic's partition count, or nil when the topic does not exist.
    public func partitionCount(topic: String, timeout: Duration) throws(KafkaError) -> Int? {
        try client.partitionCount(topic: topic, timeout: timeout)
    }

    /// Hands every record of `partitions` of `topic` to `body`, in offset order per partition, up to each
    /// partition's high watermark at the start. `progress` gets (records read, records to read) now and then.
    /// - Throws: `.connection` or `.timeout` when the broker does not serve the read within `timeout`.
    public func read(
        topic: String,
        partitions: [Int32],
        timeout: Duration,
        progress: (_ read: Int64, _ total: Int64) -> Void = { _, _ in },
        _ body: (borrowing KafkaMessage) -> Void
    ) throws(KafkaError) {
        let deadline = ContinuousClock.now + timeout
        var remaining: [Int32: Int64] = [:]
        let list = TopicPartitionList(capacity: partitions.count)
        var total: Int64 = 0
        for partition in partitions {
            let (low, high) = try watermarks(topic: topic, partition: partition, deadline: deadline)
            guard high > low else { continue }
            remaining[partition] = high
            total += high - low
            list.add(TopicPartition(topic: topic, partition: partition)).pointee.offset = low
        }
        guard !remaining.isEmpty else { return progress(0, 0) }
        let assigned = rd_kafka_assign(client.handle, list.pointer)
        guard assigned == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(assigned, operation: .configuration, "Assigning \(topic) for a changelog read")
        }
        defer { _ = rd_kafka_assign(client.handle, nil) }

        var read: Int64 = 0
        progress(0, total)
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(code: .timeout, message: "Reading \(topic): \(read) of \(total) records within \(timeout)")
            }
            let count = batch.consume(from: queue, start: 0, count: batch.capacity, timeoutMilliseconds: 100)
            var failure: KafkaError?
            for index in 0..<count {
                guard let message = batch.slots[index] else { continue }
                // Every message of the batch is destroyed, also after a failure.
                defer { rd_kafka_message_destroy(message) }
                guard failure == nil else { continue }
                let partition = message.pointee.partition
                let code = message.pointee.err
                if code == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    if let high = remaining[partition], message.pointee.offset >= high { remaining[partition] = nil }
                    continue
                }
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    // A partition between leaders: librdkafka fetches again once it has one; the deadline bounds it.
                    if !Self.isTransient(code) { failure = KafkaError(code, operation: .poll, "Reading \(topic)[\(partition)]") }
                    continue
                }
                guard let high = remaining[partition], message.pointee.offset < high else { continue }
                body(KafkaMessage(message, topic: topic))
                read += 1
                if message.pointee.offset + 1 >= high { remaining[partition] = nil }
            }
            if let failure { throw failure }
            if count > 0 { progress(read, total) }
        }
    }

    /// A partition's low and high watermarks, asked again while its leader is unknown or away (a broker restarting,
    /// a leader election) until `deadline`: a restore waits for the state topic rather than failing the daemon.
    private func watermarks(topic: String, partition: Int32, deadline: ContinuousClock.Instant) throws(KafkaError) -> (low: Int64, high: Int64) {
        var warned = false
        while true {
            var low: Int64 = 0
            var high: Int64 = 0
            let attempt = min(deadline - ContinuousClock.now, .seconds(5))
            let result = rd_kafka_query_watermark_offsets(client.handle, topic, partition, &low, &high, max(attempt, .milliseconds(1)).kafkaMilliseconds)
            if result == RD_KAFKA_RESP_ERR_NO_ERROR { return (low, high) }
            guard Self.isTransient(result), ContinuousClock.now + .milliseconds(200) < deadline else {
                throw KafkaError(result, operation: .connection, "Reading the watermarks of \(topic)[\(partition)]")
            }
            if !warned {
                warned = true
                client.context.logger.warning("Waiting for the changelog partition to have a leader", metadata: [
                    "kafka.topic": "\(topic)", "kafka.partition": "\(partition)", "kafka.error": "\(KafkaError.name(of: result))",
                ])
            }
            // librdkafka does not look for a new leader by itself here: ask for the topic's metadata again.
            _ = try? client.partitionCount(topic: topic, timeout: min(.seconds(1), max(deadline - ContinuousClock.now, .milliseconds(1))))
            usleep(200_000)
        }
    }

    /// Errors a changelog read outlives: the broker or the partition's leader away for a while.
    static func isTransient(_ code: rd_kafka_resp_err_t) -> Bool {
        KafkaError.isRetriable(code) || code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION
    }
}
