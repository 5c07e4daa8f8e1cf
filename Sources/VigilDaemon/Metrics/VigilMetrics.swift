import CoreMetrics
import Foundation
import Synchronization
import VigilCore

/// The daemon's metrics (names and labels are part of the contract). Label values come from bounded sets (event
/// types, DLQ codes, rule ids, severities, Kafka operations), never from patient data.
///
/// Every labelled series the daemon can emit is created at start-up: dashboards and alerting rules see zeros
/// rather than absent series, and the hot path reads immutable dictionaries without locking or building keys.
public final class VigilMetrics: Sendable {
    private let factory: any MetricsFactory
    private let consumedByType: [EventType: Counter]
    private let consumedInvalid: Counter
    private let deadLetteredByCode: [DeadLetterCode: Counter]
    private let kafkaErrorsByOperation: [String: Counter]
    private let publishedByRule: [String: [Severity: Counter]]
    private let notificationsByRule: [String: [Severity: Counter]]
    private let groupedByRule: [String: Counter]
    private let suppressedByRule: [String: [EngineResult.Suppression.Reason: Counter]]
    /// Series for rules not known at start-up (none in practice), created on first use.
    private let lateCounters = Mutex<[String: Counter]>([:])
    private let lagGauges = Mutex<[String: Gauge]>([:])
    public let duplicates: Counter
    public let processingTime: CoreMetrics.Timer
    /// State-changelog records produced (whole states and tombstones).
    public let stateWrites: Counter
    /// Checkpoints whose input offsets were committed (`vigil_checkpoints_total`).
    public let checkpointsCommitted: Counter
    /// How long each restore of assigned partitions' state took.
    public let restoreSeconds: CoreMetrics.Timer
    /// `exactly-once`: transactions committed and aborted.
    public let transactionsCommitted: Counter
    public let transactionsAborted: Counter

    public static let kafkaOperations = ["produce", "commit", "poll"]
    private static let suppressionReasons: [EngineResult.Suppression.Reason] = [.cooldown, .folded, .discharged]

    public init(factory: any MetricsFactory, ruleIds: [String] = [], shadowRuleIds: [String] = []) {
        self.factory = factory
        func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
            Counter(label: label, dimensions: dimensions, factory: factory)
        }
        consumedByType = Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0, counter("vigil_events_consumed_total", [("type", $0.rawValue)])) })
        consumedInvalid = counter("vigil_events_consumed_total", [("type", "invalid")])
        deadLetteredByCode = Dictionary(uniqueKeysWithValues: DeadLetterCode.allCases.map { ($0, counter("vigil_events_dead_lettered_total", [("code", $0.rawValue)])) })
        kafkaErrorsByOperation = Dictionary(uniqueKeysWithValues: Self.kafkaOperations.map { ($0, counter("vigil_kafka_errors_total", [("operation", $0)])) })
        publishedByRule = Dictionary(uniqueKeysWithValues: ruleIds.map { rule in
            (rule, Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, counter("vigil_alerts_published_total", [("rule", rule), ("severity", $0.name)])) }))
        })
        notificationsByRule = Dictionary(uniqueKeysWithValues: ruleIds.map { rule in
            (rule, Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, counter(Self.notifications, [("rule", rule), ("severity", $0.name)])) }))
        })
        groupedByRule = Dictionary(uniqueKeysWithValues: ruleIds.map { ($0, counter(Self.grouped, [("rule", $0)])) })
        suppressedByRule = Dictionary(uniqueKeysWithValues: ruleIds.map { rule in
            (rule, Dictionary(uniqueKeysWithValues: Self.suppressionReasons.map { ($0, counter("vigil_alerts_suppressed_total", [("rule", rule), ("reason", $0.rawValue)])) }))
        })
        duplicates = counter("vigil_events_duplicate_total")
        processingTime = CoreMetrics.Timer(label: "vigil_event_processing_seconds", factory: factory)
        stateWrites = counter("vigil_state_writes_total")
        checkpointsCommitted = counter("vigil_checkpoints_total")
        restoreSeconds = CoreMetrics.Timer(label: "vigil_state_restore_seconds", factory: factory)
        transactionsCommitted = counter("vigil_transactions_total", [("outcome", "committed")])
        transactionsAborted = counter("vigil_transactions_total", [("outcome", "aborted")])
        for rule in shadowRuleIds { _ = lateCounter(Self.shadowMatches, [("rule", rule)]) }
    }

    private func lateCounter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = dimensions.reduce(label) { $0 + "|" + $1.1 }
        return lateCounters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            cache[key] = counter
            return counter
        }
    }

    public func consumed(type: EventType?) {
        (type.flatMap { consumedByType[$0] } ?? consumedInvalid).increment()
    }

    public func deadLettered(_ code: DeadLetterCode) {
        deadLetteredByCode[code]?.increment()
    }

    /// An alert the broker acknowledged: counted as published, and as a notification (it pages) or as grouped
    /// (it only updates the patient's open group, or republishes a resolved one).
    public func alertPublished(rule: String, severity: Severity, notify: Bool) {
        (publishedByRule[rule]?[severity] ?? lateCounter("vigil_alerts_published_total", [("rule", rule), ("severity", severity.name)])).increment()
        if notify {
            (notificationsByRule[rule]?[severity] ?? lateCounter(Self.notifications, [("rule", rule), ("severity", severity.name)])).increment()
        } else {
            (groupedByRule[rule] ?? lateCounter(Self.grouped, [("rule", rule)])).increment()
        }
    }

    static let notifications = "vigil_alert_notifications_total"
    static let grouped = "vigil_alerts_grouped_total"

    static let shadowMatches = "vigil_rule_shadow_matches_total"

    /// A rule could not decide on an event (a rule file's condition failed to evaluate): it did not match.
    public func ruleFailed(rule: String) {
        lateCounter("vigil_rule_evaluation_errors_total", [("rule", rule)]).increment()
    }

    /// A shadow-mode rule (`status: testing`) matched: counted, never published.
    public func shadowMatched(rule: String) {
        lateCounter(Self.shadowMatches, [("rule", rule)]).increment()
    }

    public func alertSuppressed(rule: String, reason: EngineResult.Suppression.Reason) {
        (suppressedByRule[rule]?[reason] ?? lateCounter("vigil_alerts_suppressed_total", [("rule", rule), ("reason", reason.rawValue)])).increment()
    }

    /// `operation`: `produce`, `commit` or `poll`.
    public func kafkaError(operation: String) {
        (kafkaErrorsByOperation[operation] ?? lateCounter("vigil_kafka_errors_total", [("operation", operation)])).increment()
    }

    public func consumerLag(topic: String, partition: Int32, lag: Int64) {
        let key = "\(topic)|\(partition)"
        let gauge = lagGauges.withLock { cache in
            if let gauge = cache[key] { return gauge }
            let gauge = Gauge(label: "vigil_consumer_lag", dimensions: [("topic", topic), ("partition", String(partition))], factory: factory)
            cache[key] = gauge
            return gauge
        }
        gauge.record(lag)
    }

    /// Removes the lag series of partitions this instance no longer owns, so that two instances never report the
    /// same partition after a rebalance.
    public func forgetLag(topic: String, partition: Int32) {
        let key = "\(topic)|\(partition)"
        lagGauges.withLock { $0.removeValue(forKey: key) }?.destroy()
    }
}
