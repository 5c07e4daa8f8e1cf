import Testing
import VigilKafka

@Suite("Rebalancing")
struct RebalanceTests {
    @Test("the handler sees assigned on join and revoked on close, once")
    func joinAndClose() async throws {
        let kafka = try KafkaTestCluster(partitions: 3)
        let events = Recorder<RebalanceEvent>()
        let consumer = try kafka.consumer(events: events)
        try consumer.subscribe(topics: [kafka.topic])
        let joined = try await onThread {
            consumer.poll(until: { !events.all.isEmpty }, within: .seconds(60))
        }
        #expect(joined)
        let all = (0..<3).map { TopicPartition(topic: kafka.topic, partition: Int32($0)) }
        #expect(events.all.map(Self.sorted) == [.assigned(all)])

        try await onThread {
            consumer.close()
            consumer.close()
        }
        #expect(events.all.map(Self.sorted) == [.assigned(all), .revoked(all)])
    }

    @Test("two members of a group get the same partition numbers of co-partitioned topics")
    func coPartitioning() async throws {
        let kafka = try KafkaTestCluster(partitions: 4)
        let other = "other-\(kafka.topic)"
        try kafka.cluster.createTopic(other, partitions: 4)
        let group = "group-\(kafka.topic)"
        let events = [Recorder<RebalanceEvent>(), Recorder<RebalanceEvent>()]
        let fastRebalance = ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"]
        let consumers = try events.map { try kafka.consumer(group: group, events: $0, extra: fastRebalance) }
        for consumer in consumers {
            try consumer.subscribe(topics: [kafka.topic, other])
        }

        // Each member polls on its own thread (a rebalance needs every member to poll) until both hold a share.
        let settled = Recorder<Bool>()
        let stable: @Sendable () -> Bool = {
            let current = events.map { Self.current($0.all) }
            return current.allSatisfy { !$0.isEmpty } && current[0].union(current[1]).count == 8
                && current[0].isDisjoint(with: current[1])
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for consumer in consumers {
                group.addTask {
                    try await onThread {
                        _ = consumer.poll(
                            until: { !settled.all.isEmpty || stable() },
                            within: .seconds(90)
                        )
                        settled.append(true)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(stable())
        for recorder in events {
            let owned = Self.current(recorder.all)
            let ofFirst = Set(owned.filter { $0.topic == kafka.topic }.map(\.partition))
            let ofOther = Set(owned.filter { $0.topic == other }.map(\.partition))
            #expect(!ofFirst.isEmpty)
            #expect(ofFirst == ofOther)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for consumer in consumers {
                group.addTask { try await onThread { consumer.close() } }
            }
            try await group.waitForAll()
        }
    }

    /// The assignment after a sequence of eager rebalances: each assign replaces, each revoke empties.
    static func current(_ events: [RebalanceEvent]) -> Set<TopicPartition> {
        events.reduce(into: []) { owned, event in
            switch event {
            case .assigned(let partitions): owned = Set(partitions)
            case .revoked: owned = []
            }
        }
    }

    static func sorted(_ event: RebalanceEvent) -> RebalanceEvent {
        let order: (TopicPartition, TopicPartition) -> Bool = { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        switch event {
        case .assigned(let partitions): return .assigned(partitions.sorted(by: order))
        case .revoked(let partitions): return .revoked(partitions.sorted(by: order))
        }
    }
}
