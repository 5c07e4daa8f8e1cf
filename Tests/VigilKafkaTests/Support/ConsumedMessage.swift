import VigilKafka

/// What a test keeps of a consumed message after the poll body (which must not keep the message itself).
struct ConsumedMessage: Sendable, Equatable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var timestampMilliseconds: Int64?
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]
    var lastH1: [UInt8]?
    var missingHeaderIsNil: Bool

    init(_ message: borrowing KafkaMessage) {
        topic = message.topic
        partition = message.partition
        offset = message.offset
        timestampMilliseconds = message.timestampMilliseconds
        key = message.key.map { Array($0) }
        value = message.value.map { Array($0) }
        headers = message.headers()
        lastH1 = message.header("h1").map { Array($0) }
        missingHeaderIsNil = message.header("no-such-header") == nil
    }
}

extension KafkaConsumer {
    /// Polls until `count` messages arrived or `deadline` passed; returns what arrived.
    func collect(_ count: Int, within deadline: Duration, batch: Int = 64) -> [ConsumedMessage] {
        var messages: [ConsumedMessage] = []
        let end = ContinuousClock.now + deadline
        while messages.count < count, ContinuousClock.now < end {
            _ = poll(maxMessages: batch, timeout: .milliseconds(200)) { messages.append(ConsumedMessage($0)) }
        }
        return messages
    }

    /// Polls until `condition` holds or `deadline` passed; returns whether it held.
    func poll(until condition: () -> Bool, within deadline: Duration) -> Bool {
        let end = ContinuousClock.now + deadline
        while !condition() {
            guard ContinuousClock.now < end else { return false }
            _ = poll(maxMessages: 16, timeout: .milliseconds(200)) { _ in }
        }
        return true
    }
}
