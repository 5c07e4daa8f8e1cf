internal import CRdKafka
import Logging

/// An idempotent Kafka producer (`enable.idempotence=true`, `acks=all`): no duplicates or reordering from its
/// own retries, and a delivery report for every message.
///
/// `@unchecked Sendable`: librdkafka's producer is thread-safe; the one non-`Sendable` piece, the delivery
/// handler, runs on whichever thread calls `poll`, `flush` or `produce`, which the caller controls.
public final class KafkaProducer: @unchecked Sendable {
    let client: KafkaClient

    /// - Parameters:
    ///   - properties: raw librdkafka properties, applied first. Then the wrapper forces `enable.idempotence=true`
    ///     and `acks=all`, and defaults, only if not given, `linger.ms=5`, `queue.buffering.max.messages=100000`,
    ///     `queue.buffering.max.kbytes=65536` (bounded memory) and `message.timeout.ms=300000` (with a
    ///     `transactional.id`: the transaction timeout, 60000 unless `transaction.timeout.ms` says otherwise).
    ///   - deliveryHandler: one report per message, with the token given to `produce`, on the thread that calls
    ///     `poll`, `flush` or `produce` (which serves reports while the local queue is full).
    ///   - errorHandler: librdkafka's errors (`error_cb`); `fatal` means the producer is unusable.
    /// - Throws: `.configuration`, naming the property.
    public init(
        properties: [String: String],
        logger: Logger,
        deliveryHandler: @escaping (DeliveryReport) -> Void,
        errorHandler: @escaping @Sendable (KafkaError, _ fatal: Bool) -> Void
    ) throws(KafkaError) {
        let configuration = KafkaConfiguration(
            properties: properties,
            forced: [("enable.idempotence", "true"), ("acks", "all")],
            defaults: [
                ("linger.ms", "5"),
                ("queue.buffering.max.messages", "100000"),
                ("queue.buffering.max.kbytes", "65536"),
                // A transactional producer must give up on a message within its transaction's timeout.
                ("message.timeout.ms", properties["transactional.id"] == nil ? "300000" : properties["transaction.timeout.ms"] ?? "60000"),
            ]
        )
        let context = CallbackContext(logger: logger, errorHandler: errorHandler, deliveryHandler: deliveryHandler)
        client = try KafkaClient.make(RD_KAFKA_PRODUCER, configuration: configuration, context: context) {
            ProducerCallbacks.install(on: $0)
        }
    }

    /// Serves delivery reports and errors, waiting up to `timeout` for the first. Returns how many were served.
    @discardableResult
    public func poll(timeout: Duration) -> Int {
        Int(rd_kafka_poll(client.handle, timeout.kafkaMilliseconds))
    }

    /// Waits up to `timeout` for every outstanding message, serving their reports; `true` when none is left.
    public func flush(timeout: Duration) -> Bool {
        rd_kafka_flush(client.handle, timeout.kafkaMilliseconds) == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Messages not yet delivered, plus reports and events not yet served (`rd_kafka_outq_len`).
    public var outstandingCount: Int {
        Int(rd_kafka_outq_len(client.handle))
    }

    /// The error that made this producer unusable, if any (for example an idempotence failure).
    public var unrecoverableError: KafkaError? {
        KafkaError.fatalIfAny(of: client.handle)
    }
}
