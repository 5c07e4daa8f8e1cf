import Dispatch
import Foundation
import Prometheus
import Synchronization
import VigilCore
import VigilKafka

extension Benchmark {
    /// Live mode: the pipeline and an independent reader of the alerts topic run first; then events are published
    /// at `rate` per second, each a new patient's (so that every alerting one alerts). The first second is a warm-up
    /// that is not measured: the clients connect and the idempotent producers get their ids meanwhile (the first
    /// alerts took up to a second). Latency runs from an event's
    /// publication to its alert's arrival at the reader. Both consumers fetch with `fetch.wait.max.ms` 1 unless
    /// the options say otherwise: the mock broker does not wake a waiting fetch on new data, a real broker does.
    func measureLive(brokers: String, rate: Int) async throws -> BenchmarkReport {
        let fetchWait = ["fetch.wait.max.ms": options.kafkaProperties["fetch.wait.max.ms"] ?? "1"]
        let registry = PrometheusCollectorRegistry()
        let groupId = "vigil-bench-\(UUID().uuidString)"
        let pipeline: any LivePipeline = options.passThrough
            ? try PassThroughRelay(
                brokers: brokers, properties: options.kafkaProperties.merging(fetchWait) { $1 }, groupId: groupId,
                from: options.inputTopic, to: options.alertsTopic, logger: logger)
            : try makePipeline(brokers: brokers, groupId: groupId, registry: registry, extraProperties: fetchWait)
        // One second of warm-up, then `duration` seconds measured.
        let total = rate * (Int(options.duration.rounded(.up)) + 1)
        let sentAt = SendTimes(count: total)
        let latencies = LatencyRecorder()
        let reader = try KafkaConsumer(
            properties: fetchWait.merging(["bootstrap.servers": brokers, "auto.offset.reset": "earliest"]) { $1 },
            groupId: "vigil-bench-reader-\(UUID().uuidString)", logger: logger, rebalanceHandler: { _ in }, errorHandler: { _, _ in })
        try reader.subscribe(topics: [options.alertsTopic])
        let readerStop = Atomic<Bool>(false)
        let alertsRead = Atomic<Int>(0)
        let reading = Task {
            try await DedicatedThread.run(name: "vigil-bench-reader") {
                while !readerStop.load(ordering: .acquiring) {
                    _ = reader.poll(maxMessages: 100, timeout: .milliseconds(20)) { message in
                        let now = DispatchTime.now().uptimeNanoseconds
                        guard let value = message.value, let index = Self.liveIndex(in: value), let sent = sentAt[index] else { return }
                        latencies.record(now - sent)
                        alertsRead.add(1, ordering: .relaxed)
                    }
                }
                reader.close()
            }
        }
        let running = Task { try await pipeline.run() }
        let expectedAlerts = (rate..<max(rate, total)).filter(Self.alerts).count
        let options = self.options
        let logger = self.logger
        let inputTopic = options.inputTopic
        try await DedicatedThread.run(name: "vigil-bench-publisher") {
            defer { pipeline.requestStop() }
            // Both the pipeline and the reader must be in their groups before the first event.
            try Self.waitFor(timeout: 60) { pipeline.isInGroup && !reader.assignmentLag().isEmpty }
            let producer = try KafkaProducer(properties: ["bootstrap.servers": brokers, "linger.ms": "0"], logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
            let start = DispatchTime.now().uptimeNanoseconds
            let interval = 1_000_000_000 / UInt64(rate)
            for index in 0..<total {
                let due = start + UInt64(index) * interval
                let now = DispatchTime.now().uptimeNanoseconds
                if due > now { usleep(UInt32((due - now) / 1000)) }
                if index >= rate { sentAt[index] = DispatchTime.now().uptimeNanoseconds }
                try Self.produceCraving(index: index, patient: "L-\(index)", time: Date(), idPrefix: "live", topic: inputTopic, producer: producer)
                producer.poll(timeout: .zero)
            }
            _ = producer.flush(timeout: .seconds(30))
            try? Self.waitFor(timeout: 30) { alertsRead.load(ordering: .relaxed) >= expectedAlerts }
            _ = options
        }
        readerStop.store(true, ordering: .releasing)
        try await reading.value
        try await running.value
        var report = BenchmarkReport(events: total, patients: total)
        report.alerts = latencies.count
        let through = options.passThrough ? "at \(rate) events/s, relayed by a bare consumer and producer" : "at \(rate) events/s"
        report.latency = latencies.summary(kind: "event published to alert read, \(through)")
        report.peakMemoryMegabytes = Self.peakMemoryMegabytes()
        return report
    }

    /// The index `N` of a live event `live-N`, found after `marker` (by default, as an alert's evidence cites it).
    static func liveIndex(in value: UnsafeRawBufferPointer, after marker: String = #""eventId":"live-"#) -> Int? {
        let text = String(decoding: value, as: UTF8.self)
        guard let start = text.range(of: marker) else { return nil }
        return Int(text[start.upperBound...].prefix { $0.isNumber })
    }
}

/// When each live event was published (monotonic nanoseconds), written by the publisher and read by the reader.
final class SendTimes: Sendable {
    private let times: Mutex<[UInt64]>

    init(count: Int) {
        times = Mutex(Array(repeating: 0, count: count))
    }

    subscript(index: Int) -> UInt64? {
        get { times.withLock { index < $0.count && $0[index] != 0 ? $0[index] : nil } }
        set { times.withLock { if index < $0.count { $0[index] = newValue ?? 0 } } }
    }
}
