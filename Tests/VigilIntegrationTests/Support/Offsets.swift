import Foundation
import Logging
import VigilKafka

/// Committed offsets of a group, asked with librdkafka outside the daemon.
enum Offsets {
    static func committed(bootstrap: String, groupId: String, topic: String, partitions: Int) throws -> [Int32: Int64] {
        let consumer = try KafkaConsumer(
            properties: ["bootstrap.servers": bootstrap], groupId: groupId, logger: Logger(label: "test"),
            rebalanceHandler: { _ in }, errorHandler: { _, _ in })
        defer { consumer.close() }
        let list = (0..<partitions).map { TopicPartition(topic: topic, partition: Int32($0)) }
        let committed = try consumer.committed(list, timeout: .seconds(10))
        return Dictionary(uniqueKeysWithValues: committed.map { ($0.key.partition, $0.value) })
    }

    /// Waits until the group's committed offsets reach the end of every topic in `topics` (everything published
    /// so far is processed and its outputs acknowledged).
    static func waitUntilCommittedToEnd(_ kcat: Kcat, groupId: String, topics: [String], partitions: Int = 3, timeout: TimeInterval = 60) async throws -> Bool {
        try await Wait.until(timeout: timeout) {
            for topic in topics {
                let ends = ends(of: try kcat.consume(topic: topic))
                let committed = (try? committed(bootstrap: kcat.bootstrap, groupId: groupId, topic: topic, partitions: partitions)) ?? [:]
                guard ends.allSatisfy({ committed[$0.key] == $0.value }) else { return false }
            }
            return true
        }
    }

    /// Next offset per partition of `topic` (its end), from the messages kcat reads.
    static func ends(of messages: [Kcat.Message]) -> [Int32: Int64] {
        var ends: [Int32: Int64] = [:]
        for message in messages { ends[Int32(message.partition)] = max(ends[Int32(message.partition)] ?? 0, Int64(message.offset + 1)) }
        return ends
    }
}
