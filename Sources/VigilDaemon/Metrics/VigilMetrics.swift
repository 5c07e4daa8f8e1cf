import CoreMetrics
import Foundation
import Synchronization
import VigilCore

/// The daemon's metrics (names and labels are part of the contract). Every metric is created once and cached:
/// label values come from bounded sets (event types, DLQ codes, rule ids, severities), never from patient data.
///
/// Used from the processing thread; the caches are behind a mutex so that other services may count too.
public final class VigilMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[String: Counter]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])
    public let duplicates: Counter
    public let processingTime: CoreMetrics.Timer

    public init(factory: any MetricsFactory) {
        self.factory = factory
        duplicates = Counter(label: "vigil_events_duplicate_total", factory: factory)
        processingTime = CoreMetrics.Timer(label: "vigil_event_processing_seconds", factory: factory)
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = dimensions.reduce(label) { $0 + "|" + $1.1 }
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            cache[key] = counter
            return counter
        }
    }

    public func consumed(type: EventType?) {
        counter("vigil_events_consumed_total", [("type", type?.rawValue ?? "invalid")]).increment()
    }

    public func deadLettered(_ code: DeadLetterCode) {
        counter("vigil_events_dead_lettered_total", [("code", code.rawValue)]).increment()
    }

    public func alertPublished(rule: String, severity: Severity) {
        counter("vigil_alerts_published_total", [("rule", rule), ("severity", severity.name)]).increment()
    }

    public func alertSuppressed(rule: String, reason: EngineResult.Suppression.Reason) {
        counter("vigil_alerts_suppressed_total", [("rule", rule), ("reason", reason.rawValue)]).increment()
    }

    /// `operation`: `produce`, `commit` or `poll`.
    public func kafkaError(operation: String) {
        counter("vigil_kafka_errors_total", [("operation", operation)]).increment()
    }

    public func consumerLag(topic: String, partition: Int32, lag: Int64) {
        let key = "\(topic)|\(partition)"
        let gauge = gauges.withLock { cache in
            if let gauge = cache[key] { return gauge }
            let gauge = Gauge(label: "vigil_consumer_lag", dimensions: [("topic", topic), ("partition", String(partition))], factory: factory)
            cache[key] = gauge
            return gauge
        }
        gauge.record(lag)
    }
}
