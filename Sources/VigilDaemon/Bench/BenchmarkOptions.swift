/// What `vigil bench` measures and where.
public struct BenchmarkOptions: Sendable {
    /// Events to preload and then process.
    public var events = 200_000
    /// Distinct patients the events are spread over.
    public var patients = 10_000
    /// Partitions of each topic on the embedded broker.
    public var partitions = 12
    /// An existing broker to use instead of the embedded one.
    public var brokers: String?
    /// Skip preloading: the input topic already holds `events` events (e.g. from `../shared/bench/loadgen`).
    public var preload = true
    public var inputTopic = "patient.cravings"
    public var alertsTopic = "care.alerts"
    public var deadLetterTopic = "patient.events.dlq"
    /// The state changelog the pipeline writes, co-partitioned with the input.
    public var stateTopic = EmbeddedBroker.stateTopic
    /// The processing guarantee measured.
    public var guarantee = ProcessingGuarantee.atLeastOnce
    /// Extra librdkafka properties for the pipeline's consumer and producer (tuning experiments).
    public var kafkaProperties: [String: String] = [:]
    /// Give up waiting for the pipeline after this many seconds.
    public var timeout: Double = 600

    public init() {}
}
