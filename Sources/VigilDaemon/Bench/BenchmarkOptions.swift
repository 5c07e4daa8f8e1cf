import Foundation

/// What `vigil bench` measures and where.
public struct BenchmarkOptions: Sendable {
    /// Events to preload and then process.
    public var events = 200_000
    /// The rules the pipeline runs (`--rules`: a module or a rule file).
    public var rules = VigilConfiguration.Rules()
    /// Alert grouping (`grouping.window`; 0 turns it off).
    public var groupingWindow: TimeInterval = 24 * 3600
    /// Distinct patients the events are spread over.
    public var patients = 10_000
    /// Live mode: events per second published while the pipeline runs (nil: preload a backlog and drain it).
    /// Every live event is a new patient's, so that each alerting one alerts.
    public var rate: Int?
    /// Live mode: how long to publish.
    public var duration: Double = 20
    /// Live mode: a bare consumer and producer relay the alerting events instead of the pipeline, measuring the
    /// floor that the broker and the clients set under the pipeline's latency.
    public var passThrough = false
    /// Also measure a crash: the pipeline stops without completing its checkpoint half-way through the backlog,
    /// a second pipeline in the same group takes over, and the alert messages are counted against distinct ids.
    public var simulateCrash = false
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
    /// How often the pipeline seals a checkpoint (`state.checkpointInterval`).
    public var checkpointInterval: Double = 1
    /// Processing threads (`processing.threads`): loops in the pipeline's group, each with its own partitions.
    public var threads = 1
    /// The processing guarantee measured.
    public var guarantee = ProcessingGuarantee.atLeastOnce
    /// Extra librdkafka properties for the pipeline's consumer and producer (tuning experiments).
    public var kafkaProperties: [String: String] = [:]
    /// Give up waiting for the pipeline after this many seconds.
    public var timeout: Double = 600

    public init() {}
}
