import Foundation
import Logging
import Testing
import VigilKafka

/// A member joins while the first one is in the middle of a backlog: nothing may be handed over for partitions
/// already given up, and every message must reach one of the members.
///
/// What librdkafka 2.0.2 does here (seen in its cgrp debug logs): when it queues the revoke for the application
/// it also pauses the fetchers and purges the partitions' already fetched messages from the consumer queue, so
/// the revoke does not wait behind them; they are fetched again by the next owner from the last commit.
@Suite("Rebalancing while consuming")
struct RebalanceDuringConsumptionTests {
    enum Entry: Sendable {
        case assigned(Set<TopicPartition>)
        case revoked
        case message(TopicPartition)
    }

    static let messageCount = 50_000

    @Test("no message of a revoked partition is handed over, and the group loses none")
    func joinDuringBacklog() async throws {
        let kafka = try KafkaTestCluster(partitions: 4)
        let reports = Recorder<DeliveryReport>()
        let producer = try kafka.producer(reports: reports)
        for number in 0..<Self.messageCount {
            let bytes = withUnsafeBytes(of: UInt64(number).bigEndian) { Array($0) }
            try producer.produce(topic: kafka.topic, key: bytes, value: bytes, headers: [], token: 0)
        }
        #expect(try await onThread { producer.flush(timeout: .seconds(60)) })
        #expect(reports.all.count == Self.messageCount && reports.all.allSatisfy { $0.error == nil })

        let flow = Flow()
        let timelines = [Recorder<Entry>(), Recorder<Entry>()]
        let (firstLogger, firstLogs) = CapturingLogHandler.logger(level: .debug)
        let consumers = try (0..<2).map { member in
            let logger = member == 0 ? firstLogger : kafka.logger
            return try Self.consumer(member, kafka: kafka, flow: flow, timeline: timelines[member], logger: logger)
        }
        let deadline = ContinuousClock.now + .seconds(120)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for member in 0..<2 {
                tasks.addTask {
                    try await onThread {
                        let consumer = consumers[member]
                        defer { consumer.close() }
                        // The second member joins once the first is consuming.
                        if member == 1, !flow.wait(until: deadline, { $0.flags.contains("first-consuming") }) { return }
                        try consumer.subscribe(topics: [kafka.topic])
                        while !flow.isRaised("done"), ContinuousClock.now < deadline {
                            _ = consumer.poll(maxMessages: 5_000, timeout: .milliseconds(100)) { message in
                                Self.handle(message, consumer: consumer, flow: flow, timeline: timelines[member])
                                // The first member stops at its first message until the group is rebalancing, so
                                // librdkafka queues a backlog ahead of the revoke.
                                if member == 0, !flow.isRaised("released") {
                                    flow.raise("first-consuming")
                                    _ = flow.wait(until: deadline) { $0.flags.contains("released") }
                                }
                            }
                        }
                    }
                }
            }
            tasks.addTask {
                try await onThread {
                    // With debug=cgrp librdkafka logs when it queues the revoke for the application.
                    _ = flow.wait(until: deadline) { _ in
                        firstLogs.all.contains { $0.message.contains("delegating revoke") }
                    }
                    flow.raise("released")
                    _ = flow.wait(until: deadline) { $0.consumed.count >= Self.messageCount }
                    flow.raise("done")
                }
            }
            try await tasks.waitForAll()
        }

        let consumed = flow.read { $0.consumed }
        #expect(consumed == Set(0..<UInt64(Self.messageCount)), "lost \(Self.messageCount - consumed.count)")
        // The case under test happened: the first member was revoked with most of the topic still unconsumed,
        // and the second member consumed some of it.
        let first = timelines[0].all
        let revokedAt = try #require(first.firstIndex { if case .revoked = $0 { true } else { false } })
        #expect(first[..<revokedAt].count { if case .message = $0 { true } else { false } } < Self.messageCount / 2)
        #expect(timelines[1].all.contains { if case .message = $0 { true } else { false } })
        // Neither member handed over a message of a partition it did not own at that moment.
        for timeline in timelines {
            var owned: Set<TopicPartition> = []
            var strays = 0
            for entry in timeline.all {
                switch entry {
                case .assigned(let partitions): owned = partitions
                case .revoked: owned = []
                case .message(let partition): if !owned.contains(partition) { strays += 1 }
                }
            }
            #expect(strays == 0)
        }
    }

    static func consumer(
        _ member: Int,
        kafka: KafkaTestCluster,
        flow: Flow,
        timeline: Recorder<Entry>,
        logger: Logger
    ) throws -> KafkaConsumer {
        let box = ConsumerBox()
        let consumer = try KafkaConsumer(
            // The mock cluster elects a leader only when its rebalance timer fires, session.timeout.ms - 1 s
            // after a member joins (44 s by default). Quick heartbeats: the first member learns of it sooner.
            properties: kafka.properties.merging(
                ["session.timeout.ms": "6000", "heartbeat.interval.ms": "300", "debug": "cgrp"]
            ) { $1 },
            groupId: "group-\(kafka.topic)",
            logger: logger,
            rebalanceHandler: { event in
                switch event {
                case .assigned(let partitions):
                    timeline.append(.assigned(Set(partitions)))
                case .revoked:
                    timeline.append(.revoked)
                    // What the daemon does; the 2.0.2 mock answers REBALANCE_IN_PROGRESS, so work is redelivered.
                    try? box.consumer?.commit()
                }
            },
            errorHandler: { error, _ in kafka.errors.append(error.description) }
        )
        box.consumer = consumer
        return consumer
    }

    static func handle(
        _ message: borrowing KafkaMessage,
        consumer: KafkaConsumer,
        flow: Flow,
        timeline: Recorder<Entry>
    ) {
        let partition = TopicPartition(topic: message.topic, partition: message.partition)
        timeline.append(.message(partition))
        if let value = message.value, value.count == 8 {
            let number = value.loadUnaligned(as: UInt64.self).bigEndian
            flow.update {
                $0.consumed.insert(number)
                $0.handedOver += 1
            }
        }
        try? consumer.storeOffset(partition, nextOffset: message.offset + 1)
    }
}
