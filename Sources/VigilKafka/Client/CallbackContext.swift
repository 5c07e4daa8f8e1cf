import Logging

/// What librdkafka's C callbacks reach through the handle's opaque pointer, since a C function pointer cannot
/// capture Swift state. The owning `KafkaClient` keeps it alive for as long as the handle exists.
///
/// `@unchecked Sendable`: all stored properties are immutable. The handlers run on the threads that serve
/// librdkafka's queues (the caller's poll thread), the logger also on librdkafka's internal threads, which
/// swift-log handlers must support. `deliveryHandler` is not `@Sendable`: it runs on whichever thread calls the
/// producer's `poll`, `flush` or `produce`, as `KafkaProducer` documents.
final class CallbackContext: @unchecked Sendable {
    let logger: Logger
    let errorHandler: @Sendable (KafkaError, Bool) -> Void
    let rebalance: RebalanceState?
    let deliveryHandler: ((DeliveryReport) -> Void)?
    let topicNames = TopicNameCache()

    init(
        logger: Logger,
        errorHandler: @escaping @Sendable (KafkaError, Bool) -> Void,
        rebalance: RebalanceState? = nil,
        deliveryHandler: ((DeliveryReport) -> Void)? = nil
    ) {
        self.logger = logger
        self.errorHandler = errorHandler
        self.rebalance = rebalance
        self.deliveryHandler = deliveryHandler
    }

    var opaque: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// The context behind an opaque pointer given to a callback; `nil` for a handle we did not configure.
    static func from(_ opaque: UnsafeMutableRawPointer?) -> CallbackContext? {
        opaque.map { Unmanaged<CallbackContext>.fromOpaque($0).takeUnretainedValue() }
    }
}
