import Foundation
import Logging
import Synchronization
import VigilKafka

/// What live mode runs between the publisher and the reader.
protocol LivePipeline: Sendable {
    var isInGroup: Bool { get }
    /// Runs until stopped, its blocking work on threads of its own.
    func run() async throws
    func requestStop()
}

extension ProcessingLoop {
    var isInGroup: Bool { health.snapshot.inGroup }
}

/// `vigil bench --rate R --pass-through`: the floor under live latency. A consumer and a producer with the
/// pipeline's client settings relay each event that would alert (`Benchmark.alerts`) to the alerts topic at once, as
/// `{"eventId":"live-N"}`: no decoding, rules or state. What the pipeline adds is its latency minus this.
final class PassThroughRelay: LivePipeline, @unchecked Sendable {
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let alertsTopic: String
    private let stopRequested = Atomic<Bool>(false)
    private let assigned: AssignmentFlag

    init(brokers: String, properties: [String: String], groupId: String, from inputTopic: String, to alertsTopic: String, logger: Logger) throws {
        let properties = properties.merging(["bootstrap.servers": brokers]) { $1 }
        // The pipeline's producer batches for 5 ms unless told otherwise; so does the relay.
        producer = try KafkaProducer(
            properties: ["linger.ms": "5"].merging(properties) { $1 }, logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        let assigned = AssignmentFlag()
        consumer = try KafkaConsumer(
            properties: properties.merging(["auto.offset.reset": "earliest"]) { $1 }, groupId: groupId, logger: logger,
            rebalanceHandler: { event in
                if case .assigned = event { assigned.isSet.store(true, ordering: .releasing) }
            }, errorHandler: { _, _ in })
        self.alertsTopic = alertsTopic
        self.assigned = assigned
        try consumer.subscribe(topics: [inputTopic])
    }

    var isInGroup: Bool { assigned.isSet.load(ordering: .acquiring) }

    func requestStop() { stopRequested.store(true, ordering: .releasing) }

    func run() async throws {
        try await DedicatedThread.run(name: "vigil-bench-relay") { [self] in relay() }
    }

    private func relay() {
        while !stopRequested.load(ordering: .acquiring) {
            _ = consumer.poll(maxMessages: 100, timeout: .milliseconds(1)) { message in
                guard let value = message.value, let index = Benchmark.liveIndex(in: value, after: #""id":"live-"#), Benchmark.alerts(index) else { return }
                try? producer.produce(topic: alertsTopic, key: nil, value: Array(#"{"eventId":"live-\#(index)"}"#.utf8), headers: [], token: 0)
            }
            _ = producer.poll(timeout: .zero)
        }
        _ = producer.flush(timeout: .seconds(10))
        consumer.close()
    }

}

/// Set by the consumer's rebalance callback once partitions are assigned.
private final class AssignmentFlag: Sendable {
    let isSet = Atomic<Bool>(false)
}
