import VigilKafka

/// Lets a handler created before its consumer reach it. `@unchecked Sendable`: set once, before any poll.
final class ConsumerBox: @unchecked Sendable {
    var consumer: KafkaConsumer?
}
