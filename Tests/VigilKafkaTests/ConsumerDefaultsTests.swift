import Testing
@testable import VigilKafka

@Suite("Consumer defaults")
struct ConsumerDefaultsTests {
    @Test("the prefetch is bounded by bytes (64 MiB), not by librdkafka's 100,000 messages, unless the operator says otherwise")
    func prefetchBoundedByBytes() throws {
        let consumer = try ConfigurationTests.consumer([:])
        defer { consumer.close() }
        #expect(consumer.client.configuredValue(of: "queued.min.messages") == "1000000")
        // librdkafka's own default too, set explicitly so that the bound is stated where the prefetch is configured.
        #expect(consumer.client.configuredValue(of: "queued.max.messages.kbytes") == "65536")
        #expect(consumer.client.configuredValue(of: "no.such.property") == nil)

        let tuned = try ConfigurationTests.consumer(["queued.min.messages": "5000"])
        defer { tuned.close() }
        #expect(tuned.client.configuredValue(of: "queued.min.messages") == "5000")
    }
}
