import Foundation
import Prometheus
import Synchronization
import VigilCore
import VigilKafka

extension Benchmark {
    /// Runs a pipeline over the preloaded backlog until half of it is consumed, then stops it as a crash would
    /// (no checkpoint completed, nothing committed, no drain); a second pipeline in the same group takes over and
    /// finishes. Every alert message on the crash run's own alerts topic is then counted against distinct ids.
    func measureCrash(brokers: String, partitions: Int) async throws -> BenchmarkReport.Crash {
        let groupId = "vigil-bench-crash-\(UUID().uuidString)"
        let first = try makePipeline(brokers: brokers, groupId: groupId, registry: PrometheusCollectorRegistry(), alertsTopic: crashAlertsTopic, stateTopic: crashStateTopic)
        let events = options.events
        let timeout = options.timeout
        let crashed = Task { try? await first.run() }
        try await DedicatedThread.run(name: "vigil-bench-watch") {
            try Self.waitFor(timeout: timeout) { first.messagesTaken >= events / 2 }
            first.simulateCrash()
        }
        _ = await crashed.value

        let registry = PrometheusCollectorRegistry()
        let second = try makePipeline(brokers: brokers, groupId: groupId, registry: registry, alertsTopic: crashAlertsTopic, stateTopic: crashStateTopic)
        let running = Task { try await second.run() }
        try await DedicatedThread.run(name: "vigil-bench-watch") {
            defer { second.requestStop() }
            // Caught up: every partition's committed position at its end.
            try Self.waitFor(timeout: timeout) { second.isCaughtUpAndIdle }
        }
        try await running.value

        let reader = try KafkaChangelogReader(properties: ["bootstrap.servers": brokers], logger: logger)
        var messages = 0
        var ids = Set<String>()
        try reader.read(topic: crashAlertsTopic, partitions: (0..<Int32(partitions)).map { $0 }, timeout: .seconds(120)) { message in
            messages += 1
            if let value = message.value, let id = Self.alertId(in: value) { ids.insert(id) }
        }
        return .init(alertMessages: messages, distinctAlerts: ids.count)
    }

    static func waitFor(timeout: Double, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw DaemonError(.internalError, "the benchmark did not reach its goal within \(Int(timeout)) s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The `"id"` attribute of a structured-mode alert (the alert id), without a JSON parser.
    static func alertId(in value: UnsafeRawBufferPointer) -> String? {
        let text = String(decoding: value, as: UTF8.self)
        guard let start = text.range(of: #""id":""#) else { return nil }
        guard let end = text[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(text[start.upperBound..<end])
    }
}
