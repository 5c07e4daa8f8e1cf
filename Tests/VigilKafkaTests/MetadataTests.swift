import Testing
import VigilKafka

@Suite("Metadata and connectivity")
struct MetadataTests {
    @Test("partitionCount answers for an existing topic and nil for a missing one")
    func partitionCount() async throws {
        let kafka = try KafkaTestCluster(partitions: 3)
        let consumer = try kafka.consumer()
        defer { consumer.close() }
        let (existing, missing, stillMissing) = try await onThread {
            (
                try consumer.partitionCount(topic: kafka.topic, timeout: .seconds(10)),
                try consumer.partitionCount(topic: "no-such-topic", timeout: .seconds(10)),
                // Asking must not have created it.
                try consumer.partitionCount(topic: "no-such-topic", timeout: .seconds(10))
            )
        }
        #expect(existing == 3)
        #expect(missing == nil)
        #expect(stillMissing == nil)
    }

    @Test("isConnected follows the brokers going down and coming back")
    func brokersDownAndUp() async throws {
        let kafka = try KafkaTestCluster(partitions: 1)
        let consumer = try kafka.consumer()
        defer { consumer.close() }
        let cluster = kafka.cluster
        let (initially, wentDown, cameBack) = try await onThread {
            let initially = consumer.isConnected(timeout: .seconds(10))
            cluster.setBrokersDown()
            let wentDown = Self.within(.seconds(30)) { !consumer.isConnected(timeout: .milliseconds(500)) }
            cluster.setBrokersUp()
            // librdkafka's reconnect backoff grows to 10 s while the brokers are down.
            let cameBack = Self.within(.seconds(60)) { consumer.isConnected(timeout: .seconds(1)) }
            return (initially, wentDown, cameBack)
        }
        #expect(initially)
        #expect(wentDown)
        #expect(cameBack)
    }

    /// Repeats `check` (which itself blocks up to its own timeout) until it holds or `deadline` passes.
    static func within(_ deadline: Duration, _ check: () -> Bool) -> Bool {
        let end = ContinuousClock.now + deadline
        repeat {
            if check() { return true }
        } while ContinuousClock.now < end
        return false
    }
}
