import Testing
import VigilKafka

@Suite("Storing and committing offsets")
struct OffsetTests {
    @Test("stored offsets are committed and read back with committed()")
    func storeCommitReadBack() async throws {
        let kafka = try KafkaTestCluster(partitions: 2)
        let reports = Recorder<DeliveryReport>()
        let producer = try kafka.producer(reports: reports)
        for index in 0..<20 {
            try producer.produce(topic: kafka.topic, key: [UInt8(index)], value: [UInt8(index)], headers: [], token: 0)
        }
        #expect(try await onThread { producer.flush(timeout: .seconds(30)) })

        let consumer = try kafka.consumer()
        try consumer.subscribe(topics: [kafka.topic])
        let partitions = (0..<2).map { TopicPartition(topic: kafka.topic, partition: Int32($0)) }
        let (before, messages, after) = try await onThread {
            defer { consumer.close() }
            let messages = consumer.collect(20, within: .seconds(60))
            try consumer.commit()  // nothing stored yet: success
            let before = try consumer.committed(partitions, timeout: .seconds(10))
            var next: [TopicPartition: Int64] = [:]
            for message in messages {
                let partition = TopicPartition(topic: message.topic, partition: message.partition)
                next[partition] = max(next[partition] ?? 0, message.offset + 1)
            }
            for (partition, offset) in next {
                try consumer.storeOffset(partition, nextOffset: offset)
            }
            try consumer.commit()
            return (before, messages, try consumer.committed(partitions, timeout: .seconds(10)))
        }
        #expect(messages.count == 20)
        #expect(before.isEmpty)
        var expected: [TopicPartition: Int64] = [:]
        for report in reports.all {
            let partition = TopicPartition(topic: report.topic, partition: report.partition)
            expected[partition] = max(expected[partition] ?? 0, report.offset + 1)
        }
        #expect(after == expected)
        #expect(after.values.reduce(0, +) == 20)
    }

    @Test("storing an offset for a partition that is not assigned throws notAssigned")
    func storeUnassigned() throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        let consumer = try kafka.consumer()
        defer { consumer.close() }
        #expect {
            try consumer.storeOffset(TopicPartition(topic: kafka.topic, partition: 0), nextOffset: 1)
        } throws: { error in
            (error as? KafkaError)?.code == .notAssigned
        }
    }
}
