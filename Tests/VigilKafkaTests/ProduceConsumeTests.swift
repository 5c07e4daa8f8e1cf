import Testing
import VigilKafka

@Suite("Producing and consuming through the mock cluster")
struct ProduceConsumeTests {
    static let messageCount = 300

    static func headers(_ index: Int) -> [KafkaHeader] {
        [
            KafkaHeader(key: "h1", value: Array("first".utf8)),
            KafkaHeader(key: "h2", value: nil),
            KafkaHeader(key: "h1", value: Array("last-\(index)".utf8)),
            KafkaHeader(key: "empty", value: []),
        ]
    }

    @Test("every message is delivered and consumed with its key, value and headers")
    func roundTrip() async throws {
        let kafka = try KafkaTestCluster(partitions: 3)
        let reports = Recorder<DeliveryReport>()
        let producer = try kafka.producer(reports: reports)
        for index in 0..<Self.messageCount {
            try producer.produce(
                topic: kafka.topic,
                key: Array("patient-\(index % 17)".utf8),
                value: Array("value-\(index)".utf8),
                headers: Self.headers(index),
                token: UInt64(index)
            )
        }
        #expect(try await onThread { producer.flush(timeout: .seconds(30)) })
        #expect(producer.outstandingCount == 0)
        #expect(producer.unrecoverableError == nil)

        let delivered = Dictionary(reports.all.map { ($0.token, $0) }) { first, _ in first }
        #expect(reports.all.count == Self.messageCount)
        #expect(Set(delivered.keys) == Set((0..<Self.messageCount).map(UInt64.init)))
        #expect(delivered.values.allSatisfy { $0.error == nil && $0.topic == kafka.topic && $0.offset >= 0 })

        let consumer = try kafka.consumer()
        try consumer.subscribe(topics: [kafka.topic])
        let messages = try await onThread {
            defer { consumer.close() }
            return consumer.collect(Self.messageCount, within: .seconds(60))
        }
        try #require(messages.count == Self.messageCount)

        var partitionOfKey: [[UInt8]: Int32] = [:]
        for message in messages {
            let index = try #require(Int(String(decoding: message.value ?? [], as: UTF8.self).dropFirst(6)))
            let report = try #require(delivered[UInt64(index)])
            #expect(message.topic == kafka.topic)
            #expect(message.key == Array("patient-\(index % 17)".utf8))
            #expect(message.partition == report.partition)
            #expect(message.offset == report.offset)
            #expect(message.headers == Self.headers(index))
            #expect(message.lastH1 == Array("last-\(index)".utf8))
            #expect(message.missingHeaderIsNil)
            #expect(message.timestampMilliseconds != nil)
            // The same key always lands on the same partition (what per-patient ordering relies on).
            let key = message.key ?? []
            #expect(partitionOfKey[key, default: message.partition] == message.partition)
            partitionOfKey[key] = message.partition
        }
        #expect(Set(messages.map(\.partition)).count == 3)
        #expect(kafka.errors.all.isEmpty)
    }

    @Test("a null key and an empty value stay distinct from absent ones")
    func nullKeyAndEmptyValue() async throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        let reports = Recorder<DeliveryReport>()
        let producer = try kafka.producer(reports: reports)
        try producer.produce(topic: kafka.topic, key: nil, value: [], headers: [], token: 7)
        try producer.produce(topic: kafka.topic, key: nil, value: nil, headers: [], token: 8)
        #expect(try await onThread { producer.flush(timeout: .seconds(30)) })
        #expect(reports.all.map(\.token).sorted() == [7, 8])

        let consumer = try kafka.consumer()
        try consumer.subscribe(topics: [kafka.topic])
        let messages = try await onThread {
            defer { consumer.close() }
            return consumer.collect(2, within: .seconds(60))
        }
        try #require(messages.count == 2)
        #expect(messages[0].key == nil)
        #expect(messages[0].value == [])
        #expect(messages[0].headers.isEmpty)
        #expect(messages[1].value == nil)
    }

    @Test("a batch poll hands over more than one message")
    func batches() async throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        let reports = Recorder<DeliveryReport>()
        let producer = try kafka.producer(reports: reports)
        for index in 0..<100 {
            try producer.produce(topic: kafka.topic, key: nil, value: [UInt8(index)], headers: [], token: UInt64(index))
        }
        #expect(try await onThread { producer.flush(timeout: .seconds(30)) })

        let consumer = try kafka.consumer()
        try consumer.subscribe(topics: [kafka.topic])
        let sizes = try await onThread {
            defer { consumer.close() }
            var sizes: [Int] = []
            let end = ContinuousClock.now + .seconds(60)
            while sizes.reduce(0, +) < 100, ContinuousClock.now < end {
                let handed = consumer.poll(maxMessages: 1000, timeout: .milliseconds(200)) { _ in }
                if handed > 0 { sizes.append(handed) }
            }
            return sizes
        }
        #expect(sizes.reduce(0, +) == 100)
        #expect(sizes.contains { $0 > 1 })
        #expect(sizes.allSatisfy { $0 <= 1000 })
    }
}
