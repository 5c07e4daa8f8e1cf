import Foundation
import Testing
import VigilKafka

/// Static group membership (`group.instance.id`, KIP-345). librdkafka 2.0.2's mock cluster treats a static member
/// like any other (it ignores the id), so what these show is the client's side: a graceful close still leaves the
/// group, and a fenced member is told so as a fatal error.
@Suite("Static group membership")
struct StaticMembershipTests {
    /// The group's side of a leave cannot be watched on the mock (it holds any rebalance for the group's session
    /// timeout, whether the member left or not), so this reads librdkafka's own account, its `cgrp` debug log.
    static func closeAndReportLeave(leavingGroup: Bool) async throws -> Bool {
        let kafka = try KafkaTestCluster(partitions: 2)
        let (logger, logs) = CapturingLogHandler.logger(level: .debug)
        let events = Recorder<RebalanceEvent>()
        let consumer = try KafkaConsumer(
            properties: kafka.properties.merging(["group.instance.id": "vigil-test-1", "debug": "cgrp"]) { $1 },
            groupId: "group-\(kafka.topic)",
            logger: logger,
            // A revoke that takes a while, as the daemon's final checkpoint does: the leave must still go out.
            rebalanceHandler: { event in
                events.append(event)
                if case .revoked = event { Thread.sleep(forTimeInterval: 0.3) }
            },
            errorHandler: { _, _ in }
        )
        try consumer.subscribe(topics: [kafka.topic])
        let joined = try await onThread { consumer.poll(until: { !events.all.isEmpty }, within: .seconds(60)) }
        try #require(joined)
        try await onThread { consumer.close(leavingGroup: leavingGroup) }
        #expect(RebalanceTests.current(events.all).isEmpty, "the final revoke ran")
        return logs.all.contains { $0.message.contains("LeaveGroup response received") }
    }

    @Test("a static member that closes leaves the group (librdkafka alone would not, KIP-345); a fenced one does not try")
    func closeLeavesTheGroup() async throws {
        #expect(try await Self.closeAndReportLeave(leavingGroup: true))
        #expect(try await !Self.closeAndReportLeave(leavingGroup: false))
    }

    @Test("a static member fenced by another with its group.instance.id gets a fatal error that names it")
    func fencedIsFatal() async throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        let events = Recorder<RebalanceEvent>()
        let fatal = Recorder<String>()
        let consumer = try KafkaConsumer(
            properties: kafka.properties.merging(["group.instance.id": "vigil-test-1", "session.timeout.ms": "6000", "heartbeat.interval.ms": "300"]) { $1 },
            groupId: "group-\(kafka.topic)",
            logger: kafka.logger,
            rebalanceHandler: { events.append($0) },
            errorHandler: { error, isFatal in if isFatal { fatal.append(error.description) } }
        )
        try consumer.subscribe(topics: [kafka.topic])
        let joined = try await onThread { consumer.poll(until: { !events.all.isEmpty }, within: .seconds(60)) }
        try #require(joined)
        kafka.cluster.fenceStaticMember()
        let fenced = try await onThread { consumer.poll(until: { !fatal.all.isEmpty }, within: .seconds(30)) }
        #expect(fenced)
        #expect(fatal.all.contains { $0.contains("Static consumer fenced") }, "\(fatal.all)")
        try await onThread { consumer.close(leavingGroup: false) }
    }
}
