import Foundation
import Logging
import Prometheus
import Synchronization
import VigilCore
import VigilKafka

/// `vigil bench`: preloads craving events, runs the processing pipeline over them with a fresh consumer group and
/// reports throughput, latency, memory per patient, the restore rate of the state it wrote and, on request, the
/// alerts a crash redelivers. In live mode (`rate`) it publishes at a fixed rate instead and reports
/// event-to-alert latency as an independent reader sees it.
public struct Benchmark: Sendable {
    let options: BenchmarkOptions
    let modules: RuleModuleRegistry
    let logger: Logger

    public init(options: BenchmarkOptions, modules: RuleModuleRegistry, logger: Logger) {
        self.options = options
        self.modules = modules
        self.logger = logger
    }

    /// The crash measurement's own alert and state topics, so that it counts only its own alerts.
    var crashAlertsTopic: String { options.alertsTopic + ".crash" }
    var crashStateTopic: String { options.stateTopic + ".crash" }

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> BenchmarkReport {
        var embedded: EmbeddedBroker?
        var partitions = options.partitions
        if options.brokers == nil {
            // The mock broker keeps at most 5 MiB per partition and silently drops the oldest past that: spread the
            // preload (about 320 bytes an event) so that every event stays.
            let events = options.rate.map { $0 * Int(options.duration.rounded(.up)) } ?? options.events
            let needed = (events * 320) / (4 * 1024 * 1024) + 1
            if needed > partitions { progress("using \(needed) partitions so that the embedded broker keeps every event") }
            partitions = max(partitions, needed)
            embedded = try EmbeddedBroker(
                topics: [options.inputTopic, options.alertsTopic, options.deadLetterTopic, options.stateTopic, crashAlertsTopic, crashStateTopic],
                partitions: partitions, logger: logger)
        } else if options.simulateCrash {
            throw DaemonError(.configuration, "--simulate-crash needs the embedded broker (it writes to topics of its own)")
        }
        guard let brokers = options.brokers ?? embedded?.bootstrapServers else { throw DaemonError(.configuration, "no broker") }
        defer { withExtendedLifetime(embedded) {} }
        if let rate = options.rate {
            progress("publishing \(rate) events/s for \(Int(options.duration)) s while the pipeline runs…")
            return try await measureLive(brokers: brokers, rate: rate)
        }
        if options.preload {
            progress("preloading \(options.events) craving events for \(options.patients) patients…")
            let options = self.options
            let logger = self.logger
            try await DedicatedThread.run(name: "vigil-bench-preload") { try Self.preload(options, brokers: brokers, logger: logger) }
        }
        progress("running the pipeline…")
        var report = try await measureBacklog(brokers: brokers)
        progress("restoring the state it wrote…")
        report.restore = try measureRestore(brokers: brokers, topic: options.stateTopic, partitions: partitions)
        if options.simulateCrash {
            progress("crashing a pipeline half-way through the backlog and taking over…")
            report.crash = try await measureCrash(brokers: brokers, partitions: partitions)
        }
        report.peakMemoryMegabytes = Self.peakMemoryMegabytes()
        return report
    }

    /// Craving events like `../shared/bench/loadgen`'s: one in twenty at a score the default rules alert on.
    static func preload(_ options: BenchmarkOptions, brokers: String, logger: Logger) throws {
        let producer = try KafkaProducer(properties: ["bootstrap.servers": brokers, "linger.ms": "20"], logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        let start = Date().addingTimeInterval(-Double(options.events))
        for index in 0..<options.events {
            let patient = String(format: "P-%07d", index % options.patients)
            try produceCraving(index: index, patient: patient, time: start.addingTimeInterval(Double(index)), topic: options.inputTopic, producer: producer)
        }
        guard producer.flush(timeout: .seconds(120)) else { throw DaemonError(.internalError, "preload was not acknowledged in time") }
    }

    /// Whether the bench's `index`th craving alerts: one in twenty, as `shared/bench/loadgen` publishes them.
    static func alerts(_ index: Int) -> Bool { index % 20 == 0 }

    static func produceCraving(index: Int, patient: String, time: Date, idPrefix: String = "bench", topic: String, producer: KafkaProducer) throws {
        let score = alerts(index) ? 8 + index % 3 : (index * 7) % 6
        let event = SyntheticEvent(
            id: "\(idPrefix)-\(index)", type: .craving, time: time, patientId: patient,
            fields: [("score", .number(Double(score))), ("substance", .string("ketamine"))])
        try producer.produce(topic: topic, key: Array(patient.utf8), value: event.json(), headers: [.structuredCloudEvent], token: 0)
    }

    /// `options.threads` loops in group `groupId`, as `vigil run` makes them.
    func makePipeline(
        brokers: String, groupId: String, registry: PrometheusCollectorRegistry, alertsTopic: String? = nil,
        stateTopic: String? = nil, extraProperties: [String: String] = [:]
    ) throws -> PipelineThreads {
        var policy = TimerPolicy()
        policy.groupingWindow = options.groupingWindow
        let engine = try modules.ruleSet(for: options.rules, timers: policy).engine
        var settings = ProcessingSettings(inputTopics: [options.inputTopic], alertsTopic: alertsTopic ?? options.alertsTopic, deadLetterTopic: options.deadLetterTopic, shutdownTimeout: 60)
        settings.stateTopic = stateTopic ?? options.stateTopic
        settings.guarantee = options.guarantee
        settings.checkpointInterval = options.checkpointInterval
        let properties = options.kafkaProperties.merging(extraProperties) { $1 }.merging(["bootstrap.servers": brokers]) { $1 }
        let metrics = VigilMetrics(factory: PrometheusMetricsFactory(registry: registry), ruleIds: engine.rules.map(\.id))
        return PipelineThreads(try (0..<options.threads).map { _ in
            settings.transactionalId = "vigil-bench-\(UUID().uuidString)"
            return try ProcessingLoop(
                settings: settings, kafkaProperties: properties, groupId: groupId, engine: engine, decoder: EventDecoder(),
                metrics: metrics, health: HealthState(), logger: logger)
        })
    }

    private func measureBacklog(brokers: String) async throws -> BenchmarkReport {
        let registry = PrometheusCollectorRegistry()
        let pipeline = try makePipeline(brokers: brokers, groupId: "vigil-bench-\(UUID().uuidString)", registry: registry)
        let latencies = LatencyRecorder()
        for loop in pipeline.loops { loop.onAlertDelivered = { latencies.record($0) } }
        let events = options.events
        let timeout = options.timeout
        let heldBefore = Self.residentBytes(trimmingFreeMemory: true)
        let rssBefore = Self.residentBytes()
        let running = Task { try await pipeline.run() }
        let (throughput, rssAfter, heldAfter) = try await DedicatedThread.run(name: "vigil-bench-watch") { () throws -> (Double, Int, Int) in
            defer { pipeline.requestStop() }
            let rate = try Self.watch(until: events, timeout: timeout) { pipeline.messagesTaken }
            let rssAfter = Self.residentBytes()
            // What the patients hold, once their state is written and the input's buffers are freed.
            try Self.waitFor(timeout: timeout) { pipeline.isCaughtUpAndIdle }
            return (rate, rssAfter, Self.residentBytes(trimmingFreeMemory: true))
        }
        try await running.value
        var report = BenchmarkReport(events: events, patients: min(options.patients, events), eventsPerSecond: throughput)
        report.alerts = latencies.count
        report.latency = latencies.summary(kind: "event receipt to alert acknowledged")
        report.rssBytesPerPatient = Double(rssAfter - rssBefore) / Double(report.patients)
        report.heldBytesPerPatient = Double(heldAfter - heldBefore) / Double(report.patients)
        return report
    }

    /// Samples the messages the loop took until they reach `target`; events/s from the first one.
    static func watch(until target: Int, timeout: Double, taken: () -> Int) throws -> Double {
        let deadline = Date().addingTimeInterval(timeout)
        var first: (time: Date, count: Int)?
        while Date() < deadline {
            let count = taken()
            let now = Date()
            if first == nil, count > 0 { first = (now, count) }
            if let first, count >= target {
                return Double(count - first.count) / max(now.timeIntervalSince(first.time), 0.001)
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw DaemonError(.internalError, "the pipeline consumed \(taken()) of \(target) events within \(Int(timeout)) s")
    }

    static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// The resident set now (Linux `/proc/self/statm`), 0 where unavailable. `trimmingFreeMemory` first returns
    /// the allocator's free pages to the system (`Allocator.releaseFreeMemory`), so that what remains is memory in use
    /// (and the little that other threads' caches hold: only the calling thread's cache is flushed).
    static func residentBytes(trimmingFreeMemory: Bool = false) -> Int {
        if trimmingFreeMemory { Allocator.releaseFreeMemory() }
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Collects latencies (nanoseconds) from another thread.
final class LatencyRecorder: Sendable {
    private let samples = Mutex<[UInt64]>([])

    func record(_ nanoseconds: UInt64) { samples.withLock { $0.append(nanoseconds) } }

    var count: Int { samples.withLock { $0.count } }

    func summary(kind: String) -> BenchmarkReport.Latency? {
        let sorted = samples.withLock { $0.sorted() }
        guard let max = sorted.last else { return nil }
        func percentile(_ fraction: Double) -> Double {
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))
            return Double(sorted[index]) / 1_000_000
        }
        return .init(kind: kind, p50Milliseconds: percentile(0.5), p99Milliseconds: percentile(0.99), maxMilliseconds: Double(max) / 1_000_000)
    }
}
