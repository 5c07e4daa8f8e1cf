/// A change of the consumer's assignment, reported on the poll thread while librdkafka waits for it.
///
/// `revoked` comes before the partitions are given up, so the handler can still flush its producer, store
/// and commit offsets for them.
public enum RebalanceEvent: Sendable, Equatable {
    case assigned([TopicPartition])
    case revoked([TopicPartition])
}
