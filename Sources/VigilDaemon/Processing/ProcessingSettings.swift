import Foundation

/// How the processing loop runs: topics, limits and the bounds that keep memory and shutdown finite.
public struct ProcessingSettings: Sendable {
    public var inputTopics: [String]
    public var alertsTopic: String
    public var deadLetterTopic: String
    /// The per-patient state changelog, co-partitioned with the inputs.
    public var stateTopic = EmbeddedBroker.stateTopic
    /// Patients with no event for this long (event time) are dropped, with a tombstone.
    public var stateRetention: TimeInterval = 30 * 86_400
    /// How long events of one input partition wait for a co-partitioned partition of another input topic that has
    /// unfetched data (the event-time merge's bound on waiting for an idle partition).
    public var maxIdle: TimeInterval = 0.5
    public var guarantee = ProcessingGuarantee.atLeastOnce
    /// The consumer's `group.instance.id` (static group membership), or nil for dynamic membership.
    public var groupInstanceId: String?
    /// `exactly-once`: the producer's transactional id; an instance started with the same id fences this one.
    public var transactionalId: String?
    /// How often a checkpoint is sealed: each patient changed since the last one has its state written once, and
    /// the input offsets it covers are committed once its alerts and state writes are acknowledged (at-least-once),
    /// or in one transaction (exactly-once). A crash redelivers about one interval of input. Kafka Streams' commit
    /// interval plays the same part. `state.checkpointInterval`; default 1 s.
    public var checkpointInterval: TimeInterval = 1
    /// A checkpoint is sealed early once its changed patients' state would take this many bytes to write.
    public var maxDirtyBytes = 8 * 1024 * 1024
    /// Bound on restoring the state of newly assigned partitions.
    public var restoreTimeout: TimeInterval = 300
    /// Upper bound on a graceful stop: waiting for the broker's acknowledgements and the final commit.
    public var shutdownTimeout: TimeInterval
    /// Messages handed over by one consumer poll.
    public var batchSize = 1000
    /// Outputs awaiting the broker's acknowledgement before the loop stops taking input (bounded memory).
    /// It takes input again once they have fallen to half of this (hysteresis).
    public var maxAwaitingDelivery = 200_000
    /// Bytes of outputs awaiting acknowledgement before the loop stops taking input (dead-letter copies can be large).
    public var maxAwaitingBytes = 64 * 1024 * 1024
    /// How long backpressure may hold input back before fetching is paused, so that the consumer can be polled for
    /// the group's sake (`max.poll.interval.ms`, default 300 s). Pausing drops the prefetched input.
    public var maxHoldBeforePause: TimeInterval = 10
    /// Wait before producing again a message whose delivery librdkafka gave up on.
    public var redeliveryBackoff: TimeInterval = 1

    public init(inputTopics: [String], alertsTopic: String, deadLetterTopic: String, shutdownTimeout: TimeInterval) {
        self.inputTopics = inputTopics
        self.alertsTopic = alertsTopic
        self.deadLetterTopic = deadLetterTopic
        self.shutdownTimeout = shutdownTimeout
    }
}
