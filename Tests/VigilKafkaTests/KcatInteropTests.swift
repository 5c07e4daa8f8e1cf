import Foundation
import Testing
import VigilKafka

private let kcatPath = "/usr/bin/kcat"

/// kcat is an independent client: a bug shared by our producer and our consumer cannot hide from it.
@Suite("Interoperability with kcat", .enabled(if: FileManager.default.isExecutableFile(atPath: kcatPath)))
struct KcatInteropTests {
    static let kcat = kcatPath

    @Test("kcat reads what our producer wrote, keys, values and headers")
    func kcatReadsOurMessages() async throws {
        let kafka = try KafkaTestCluster(partitions: 2)
        let reports = Recorder<DeliveryReport>()
        let producer = try kafka.producer(reports: reports)
        for index in 0..<50 {
            try producer.produce(
                topic: kafka.topic,
                key: Array("key-\(index)".utf8),
                value: Array("value-\(index)".utf8),
                headers: [KafkaHeader(key: "h1", value: Array("v-\(index)".utf8))],
                token: UInt64(index)
            )
        }
        #expect(try await onThread { producer.flush(timeout: .seconds(30)) })

        let output = try await onThread {
            try ExternalProcess.run(
                Self.kcat,
                ["-b", kafka.cluster.bootstrapServers, "-C", "-t", kafka.topic, "-e", "-J", "-q"],
                deadline: .seconds(60)
            )
        }
        #expect(output.status == 0, "kcat failed: \(output.stderr)")
        let records = try output.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(records.count == 50)
        let delivered = Dictionary(reports.all.map { ("value-\($0.token)", $0) }) { first, _ in first }
        for record in records {
            let payload = try #require(record["payload"] as? String)
            let index = try #require(Int(payload.dropFirst(6)))
            #expect(record["key"] as? String == "key-\(index)")
            #expect(record["headers"] as? [String] == ["h1", "v-\(index)"])
            #expect(record["partition"] as? Int == delivered[payload].map { Int($0.partition) })
            #expect(record["offset"] as? Int == delivered[payload].map { Int($0.offset) })
        }
    }

    @Test("our consumer reads what kcat wrote")
    func weReadKcatsMessages() async throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        let output = try await onThread {
            try ExternalProcess.run(
                Self.kcat,
                ["-b", kafka.cluster.bootstrapServers, "-P", "-t", kafka.topic, "-K", ":", "-H", "source=kcat", "-q"],
                input: "k1:first\nk2:second\n",
                deadline: .seconds(60)
            )
        }
        #expect(output.status == 0, "kcat failed: \(output.stderr)")

        let consumer = try kafka.consumer()
        try consumer.subscribe(topics: [kafka.topic])
        let messages = try await onThread {
            defer { consumer.close() }
            return consumer.collect(2, within: .seconds(60))
        }
        #expect(messages.map { $0.key.map { String(decoding: $0, as: UTF8.self) } } == ["k1", "k2"])
        #expect(messages.map { $0.value.map { String(decoding: $0, as: UTF8.self) } } == ["first", "second"])
        #expect(messages.allSatisfy { $0.headers == [KafkaHeader(key: "source", value: Array("kcat".utf8))] })
    }
}
