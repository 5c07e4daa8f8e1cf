internal import CRdKafka
import Logging

extension KafkaConsumer {
    /// Waits up to `timeout` for a first message, then hands it and whatever else is already fetched, up to
    /// `maxMessages`, to `body`, in order. Returns how many messages were handed over.
    ///
    /// Rebalance callbacks are served inside this call, in queue order with the messages: on assign the handler
    /// sees `.assigned` before fetching starts; on revoke it sees `.revoked` while the partitions are still owned,
    /// and no message of a revoked partition is handed over after it. (librdkafka 2.0.2, when it queues a revoke,
    /// pauses fetching and purges the partitions' fetched messages; the next owner fetches them again from the
    /// last commit.)
    ///
    /// Message-level errors are not handed to `body`: partition EOF is logged at debug, others go to the error
    /// handler. Call from one thread only (the poll thread), never from Swift's cooperative pool: this blocks.
    /// After `close()` it returns 0 at once.
    public func poll(maxMessages: Int, timeout: Duration, _ body: (borrowing KafkaMessage) -> Void) -> Int {
        precondition(maxMessages > 0, "maxMessages must be positive")
        guard !isClosed else { return 0 }
        batch.reserve(maxMessages)
        let rebalance = client.context.rebalance
        rebalance?.beginPoll()

        // A batch call with a timeout waits until the batch is full, which would hold a lone message for the
        // whole timeout. So wait for one message, then take what is already there without waiting.
        var count = batch.consume(from: queue, start: 0, count: 1, timeoutMilliseconds: timeout.kafkaMilliseconds)
        if count > 0, maxMessages > 1 {
            count += batch.consume(from: queue, start: count, count: maxMessages - count, timeoutMilliseconds: 0)
        }

        // A revoke served in the middle of a batch: librdkafka purges the messages of the revoked partitions that
        // the batch already holds (since 2.0.0, when the rebalance callback runs on the polling thread, as here).
        // This check guards against that contract slipping; it costs nothing unless the assignment changed.
        let owned = rebalance?.assignmentIfChangedDuringPoll()
        var handedOver = 0
        for index in 0..<count {
            guard let message = batch.slots[index] else { continue }
            defer { rd_kafka_message_destroy(message) }
            guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                report(message)
                continue
            }
            let topic = message.pointee.rkt.map { client.context.topicNames.name(of: $0) } ?? ""
            if let owned, !owned.contains(TopicPartition(topic: topic, partition: message.pointee.partition)) {
                logger.debug("Dropping a message of a revoked partition", metadata: ["kafka.topic": "\(topic)"])
                continue
            }
            body(KafkaMessage(message, topic: topic))
            handedOver += 1
        }
        return handedOver
    }

    /// A message that carries an error instead of data.
    private func report(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let code = message.pointee.err
        let topic = message.pointee.rkt.map { client.context.topicNames.name(of: $0) }
        let place = topic.map { "\($0)[\(message.pointee.partition)]" } ?? "consumer"
        if code == RD_KAFKA_RESP_ERR__PARTITION_EOF {
            logger.debug("Reached the end of a partition", metadata: ["kafka.partition": "\(place)"])
            if let topic { endOfPartitionHandler?(TopicPartition(topic: topic, partition: message.pointee.partition)) }
            return
        }
        // For error messages the payload is librdkafka's error text, not data.
        let detail = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
        let error = KafkaError(code, operation: .poll, "Consuming \(place): \(detail)")
        client.context.errorHandler(error, code == RD_KAFKA_RESP_ERR__FATAL)
    }
}
