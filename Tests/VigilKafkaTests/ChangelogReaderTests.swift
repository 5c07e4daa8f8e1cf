import Foundation
import Testing
import VigilKafka

@Suite("Changelog reads (state restore)")
struct ChangelogReaderTests {
    /// Found by the fault-injection suite: a restore that began while the state topic had no leader failed the
    /// daemon at once (`_UNKNOWN_PARTITION`) instead of waiting for the leader within the restore timeout.
    @Test("a read that starts while the partition has no leader waits for it, then reads everything")
    func waitsForALeader() async throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        let producer = try kafka.producer(reports: Recorder())
        for index in 0..<50 {
            try producer.produce(topic: kafka.topic, key: Array("P-\(index)".utf8), value: Array("state-\(index)".utf8), headers: [], token: UInt64(index))
        }
        #expect(try await onThread { producer.flush(timeout: .seconds(30)) })

        kafka.cluster.setPartitionAvailable(topic: kafka.topic, partition: 0, false)
        let cluster = kafka.cluster, topic = kafka.topic
        let comesBack = Task.detached {
            try await Task.sleep(for: .seconds(2))
            cluster.setPartitionAvailable(topic: topic, partition: 0, true)
        }
        let reader = try KafkaChangelogReader(properties: kafka.properties, logger: kafka.logger)
        let values = try await onThread {
            var values: [String] = []
            try reader.read(topic: topic, partitions: [0], timeout: .seconds(60)) { values.append($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "") }
            return values
        }
        try await comesBack.value
        #expect(values == (0..<50).map { "state-\($0)" })
    }

    @Test("a partition that never gets a leader fails the read at its timeout, naming the partition")
    func givesUpAtTheTimeout() async throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        kafka.cluster.setPartitionAvailable(topic: kafka.topic, partition: 0, false)
        let reader = try KafkaChangelogReader(properties: kafka.properties, logger: kafka.logger)
        let topic = kafka.topic
        let error = await #expect(throws: KafkaError.self) {
            try await onThread { try reader.read(topic: topic, partitions: [0], timeout: .seconds(2)) { _ in } }
        }
        #expect(error?.description.contains("\(topic)[0]") == true, "\(String(describing: error))")
    }
}
