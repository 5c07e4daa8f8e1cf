import Foundation
import Logging
import Prometheus
import Synchronization
import VigilCore
import VigilKafka

/// `vigil bench`: preloads craving events, runs the processing pipeline over them with a fresh consumer group and
/// reports throughput, event-to-alert latency and peak memory.
public struct Benchmark: Sendable {
    let options: BenchmarkOptions
    let modules: RuleModuleRegistry
    let logger: Logger

    public init(options: BenchmarkOptions, modules: RuleModuleRegistry, logger: Logger) {
        self.options = options
        self.modules = modules
        self.logger = logger
    }

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> BenchmarkReport {
        var embedded: EmbeddedBroker?
        if options.brokers == nil {
            // The mock broker keeps at most 5 MiB per partition and silently drops the oldest past that: spread the
            // preload (about 320 bytes an event) so that every event stays.
            let needed = (options.events * 320) / (4 * 1024 * 1024) + 1
            if needed > options.partitions { progress("using \(needed) partitions so that the embedded broker keeps every event") }
            embedded = try EmbeddedBroker(
                topics: [options.inputTopic, options.alertsTopic, options.deadLetterTopic, options.stateTopic], partitions: max(options.partitions, needed), logger: logger)
        }
        guard let brokers = options.brokers ?? embedded?.bootstrapServers else { throw DaemonError(.configuration, "no broker") }
        if options.preload {
            progress("preloading \(options.events) craving events for \(options.patients) patients…")
            let options = self.options
            let logger = self.logger
            try await DedicatedThread.run(name: "vigil-bench-preload") { try Self.preload(options, brokers: brokers, logger: logger) }
        }
        progress("running the pipeline…")
        let report = try await measure(brokers: brokers)
        withExtendedLifetime(embedded) {}
        return report
    }

    /// Craving events like `../shared/bench/loadgen`'s: one in twenty at a score the default rules alert on.
    static func preload(_ options: BenchmarkOptions, brokers: String, logger: Logger) throws {
        let producer = try KafkaProducer(properties: ["bootstrap.servers": brokers, "linger.ms": "20"], logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        let headers = [KafkaHeader.structuredCloudEvent]
        let start = Date().addingTimeInterval(-Double(options.events))
        for index in 0..<options.events {
            let patient = String(format: "P-%06d", index % options.patients)
            let score = index % 20 == 0 ? 8 + index % 3 : (index * 7) % 6
            let event = SyntheticEvent(
                id: "bench-\(index)", type: .craving, time: start.addingTimeInterval(Double(index)), patientId: patient,
                fields: [("score", .number(Double(score))), ("substance", .string("ketamine"))])
            try producer.produce(topic: options.inputTopic, key: Array(patient.utf8), value: event.json(), headers: headers, token: 0)
        }
        guard producer.flush(timeout: .seconds(120)) else { throw DaemonError(.internalError, "preload was not acknowledged in time") }
    }

    private func measure(brokers: String) async throws -> BenchmarkReport {
        let registry = PrometheusCollectorRegistry()
        let (_, engine) = try modules.engine(for: VigilConfiguration.Rules())
        var settings = ProcessingSettings(inputTopics: [options.inputTopic], alertsTopic: options.alertsTopic, deadLetterTopic: options.deadLetterTopic, shutdownTimeout: 60)
        settings.stateTopic = options.stateTopic
        settings.guarantee = options.guarantee
        settings.transactionalId = "vigil-bench-\(UUID().uuidString)"
        let loop = try ProcessingLoop(
            settings: settings,
            kafkaProperties: options.kafkaProperties.merging(["bootstrap.servers": brokers]) { $1 }, groupId: "vigil-bench-\(UUID().uuidString)", engine: engine,
            decoder: EventDecoder(), metrics: VigilMetrics(factory: PrometheusMetricsFactory(registry: registry), ruleIds: engine.rules.map(\.id)), health: HealthState(), logger: logger)
        let latencies = LatencyRecorder()
        loop.onAlertDelivered = { latencies.record($0) }

        let events = options.events
        let timeout = options.timeout
        let running = Task { try await DedicatedThread.run(name: "vigil-bench-pipeline") { try loop.run() } }
        let throughput = try await DedicatedThread.run(name: "vigil-bench-watch") { () throws -> Double in
            defer { loop.requestStop() }
            return try Self.watch(registry: registry, until: events, timeout: timeout)
        }
        try await running.value
        let samples = latencies.sorted()
        return BenchmarkReport(
            events: events, eventsPerSecond: throughput, alerts: samples.count,
            latencyP50Milliseconds: Self.percentile(samples, 0.50), latencyP99Milliseconds: Self.percentile(samples, 0.99),
            peakMemoryMegabytes: Self.peakMemoryMegabytes())
    }

    /// Samples `vigil_events_consumed_total` until it reaches `target`; events/s from the first consumed event.
    static func watch(registry: PrometheusCollectorRegistry, until target: Int, timeout: Double) throws -> Double {
        let deadline = Date().addingTimeInterval(timeout)
        var first: (time: Date, count: Int)?
        while Date() < deadline {
            let count = consumedTotal(registry)
            let now = Date()
            if first == nil, count > 0 { first = (now, count) }
            if let first, count >= target {
                return Double(count - first.count) / max(now.timeIntervalSince(first.time), 0.001)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw DaemonError(.internalError, "the pipeline consumed \(consumedTotal(registry)) of \(target) events within \(Int(timeout)) s")
    }

    static func consumedTotal(_ registry: PrometheusCollectorRegistry) -> Int {
        registry.emitToString().split(separator: "\n")
            .filter { $0.hasPrefix("vigil_events_consumed_total{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }

    static func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
        return Double(sorted[max(index, 0)]) / 1_000_000
    }

    static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// Collects alert latencies from the processing thread.
final class LatencyRecorder: Sendable {
    private let samples = Mutex<[UInt64]>([])

    func record(_ nanoseconds: UInt64) { samples.withLock { $0.append(nanoseconds) } }

    func sorted() -> [UInt64] { samples.withLock { $0.sorted() } }
}
