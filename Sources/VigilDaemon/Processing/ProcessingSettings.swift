import Foundation

/// What survives a crash: `at-least-once` publishes every alert, possibly twice with the same id; `exactly-once`
/// commits outputs and input offsets in one Kafka transaction.
public enum ProcessingGuarantee: String, Sendable, CaseIterable {
    case atLeastOnce = "at-least-once"
    case exactlyOnce = "exactly-once"
}

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
    /// `exactly-once`: the producer's transactional id; an instance started with the same id fences this one.
    public var transactionalId: String?
    /// How often changed patients' state is written to the changelog (at-least-once), and how long a transaction
    /// stays open before it commits (exactly-once). A patient changed many times in between is written once;
    /// input offsets wait for the write, so this also paces commits. Kafka Streams caches state the same way.
    public var commitInterval: TimeInterval = 1
    /// Bound on restoring the state of newly assigned partitions.
    public var restoreTimeout: TimeInterval = 300
    /// Upper bound on a graceful stop: waiting for the broker's acknowledgements and the final commit.
    public var shutdownTimeout: TimeInterval
    /// Messages handed over by one consumer poll.
    public var batchSize = 1000
    /// Outputs awaiting the broker's acknowledgement before the loop stops taking input (bounded memory).
    public var maxAwaitingDelivery = 20_000
    /// Bytes of outputs awaiting acknowledgement before the loop stops taking input (dead-letter copies can be large).
    public var maxAwaitingBytes = 32 * 1024 * 1024
    /// Wait before producing again a message whose delivery librdkafka gave up on.
    public var redeliveryBackoff: TimeInterval = 1

    public init(inputTopics: [String], alertsTopic: String, deadLetterTopic: String, shutdownTimeout: TimeInterval) {
        self.inputTopics = inputTopics
        self.alertsTopic = alertsTopic
        self.deadLetterTopic = deadLetterTopic
        self.shutdownTimeout = shutdownTimeout
    }
}
