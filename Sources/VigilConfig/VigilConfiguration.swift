import Foundation
import VigilCore

/// Everything `vigil run` can be told, with the defaults written in place. Each field's comment names its
/// configuration-file key, environment variable and flag; flags win over the environment, the environment over
/// the file (see `ConfigurationLoader`).
public struct VigilConfiguration: Sendable, Equatable {
    public var kafka = Kafka()
    public var topics = Topics()
    public var http = HTTP()
    public var limits = DecodingLimits()
    /// How long a graceful shutdown may take before the daemon gives up (exit 70). `shutdownTimeout`,
    /// `VIGIL_SHUTDOWN_TIMEOUT`, `--shutdown-timeout`; default 30 s.
    public var shutdownTimeout: TimeInterval = 30
    public var rules = Rules()
    public var state = State()
    public var processing = Processing()
    public var escalation = Escalation()
    public var grouping = Grouping()
    /// Log level: trace, debug, info, notice, warning, error, critical. `logging.level`, `VIGIL_LOG_LEVEL`,
    /// `--log-level`; default info. Patient data never appears at info or above.
    public var logLevel = "info"
    /// Run on an in-process broker on loopback (nothing is kept after exit). `--embedded-broker` only.
    public var embeddedBroker = false

    public init() {}

    public struct Kafka: Sendable, Equatable {
        public init() {}

        /// Bootstrap servers, `HOST:PORT[,…]`. `kafka.brokers`, `VIGIL_BROKERS`, `--brokers`; no default: the
        /// daemon refuses to start without brokers (or `--embedded-broker`).
        public var brokers: String?
        /// Consumer group id shared by every instance. `kafka.groupId`, `VIGIL_GROUP_ID`, `--group-id`; default `vigil`.
        public var groupId = "vigil"
        /// Give up at start-up (exit 69) when the brokers do not answer within this. `kafka.connectTimeout`,
        /// `VIGIL_CONNECT_TIMEOUT`, `--connect-timeout`; default 30 s.
        public var connectTimeout: TimeInterval = 30
        /// Static group membership (KIP-345): this instance's `group.instance.id`, stable across its restarts, so that
        /// a crashed instance that comes back takes its partitions back without a rebalance or a wait for its
        /// session timeout. `kafka.groupInstanceId`, `VIGIL_GROUP_INSTANCE_ID`, `--group-instance-id`; an empty
        /// value turns static membership off. Default (nil): `<groupId>-<hostname>-<httpPort>`, unique per instance
        /// on a host because each needs its own HTTP port; none when the port is 0 (chosen at random, so not stable).
        public var groupInstanceId: String?
        /// Raw librdkafka properties (TLS, SASL, tuning), passed through as they are. `kafka.properties` (file only).
        public var properties: [String: String] = [:]
    }

    public struct Topics: Sendable, Equatable {
        public init() {}

        /// Co-partitioned input topics. `topics.inputs`, `VIGIL_INPUT_TOPICS`, `--input-topics` (comma-separated).
        public var inputs = ["patient.checkins", "patient.cravings", "care.alert-acks"]
        /// `topics.alerts`, `VIGIL_ALERTS_TOPIC`, `--alerts-topic`; default `care.alerts`.
        public var alerts = "care.alerts"
        /// `topics.deadLetter`, `VIGIL_DLQ_TOPIC`, `--dlq-topic`; default `patient.events.dlq`.
        public var deadLetter = "patient.events.dlq"
        /// The per-patient state changelog (compacted, co-partitioned with the inputs). `topics.state`,
        /// `VIGIL_STATE_TOPIC`; default `vigil.patient-state`.
        public var state = "vigil.patient-state"
    }

    public struct Processing: Sendable, Equatable {
        public init() {}

        /// The event-time merge's bound: how long events wait for a co-partitioned input partition that has data
        /// not yet fetched. `processing.maxIdle`, `VIGIL_MAX_IDLE`; default 500 ms.
        public var maxIdle: TimeInterval = 0.5
        /// `processing.guarantee`, `VIGIL_PROCESSING_GUARANTEE`, `--processing-guarantee`: `at-least-once`
        /// (default) or `exactly-once` (Kafka transactions).
        public var guarantee = ProcessingGuarantee.atLeastOnce
        /// `exactly-once`: the transactional id, unique per instance and stable across its restarts, so that a
        /// restarted instance fences its own zombie. `processing.transactionalId`, `VIGIL_TRANSACTIONAL_ID`;
        /// default `<groupId>-<hostname>`.
        public var transactionalId: String?
        /// Processing threads: each runs its own loop (consumer, producer, patient state) as one member of the
        /// consumer group, like Kafka Streams' `num.stream.threads`, so one instance uses more cores.
        /// `processing.threads`, `VIGIL_PROCESSING_THREADS`, `--processing-threads`; 1 to 64, default 1.
        public var threads = 1
    }

    public struct State: Sendable, Equatable {
        public init() {}

        /// A patient with no event for this long (event time, against the newest event seen) is dropped, with a
        /// tombstone in the changelog. `state.retention`, `VIGIL_STATE_RETENTION`; default 30 d.
        public var retention: TimeInterval = 30 * 86_400
        /// Give up (exit 70) when restoring an assigned partition's state takes longer. `state.restoreTimeout`;
        /// default 5 min.
        public var restoreTimeout: TimeInterval = 300
        /// How often changed patients' state is written and the input offsets it covers are committed (a crash
        /// redelivers about this much input). `state.checkpointInterval`, `VIGIL_STATE_CHECKPOINT_INTERVAL`;
        /// default 1 s.
        public var checkpointInterval: TimeInterval = 1
    }

    /// The `group.instance.id` this instance joins its group with, or nil for dynamic membership.
    public func effectiveGroupInstanceId(hostName: String = ProcessInfo.processInfo.hostName) -> String? {
        if let configured = kafka.groupInstanceId { return configured.isEmpty ? nil : configured }
        if let raw = kafka.properties["group.instance.id"] { return raw.isEmpty ? nil : raw }
        return http.port == 0 ? nil : "\(kafka.groupId)-\(hostName)-\(http.port)"
    }

    /// The engine's timer policy: escalation delays and the grouping window from here, absence rules from `rules`.
    public func timerPolicy() -> TimerPolicy {
        var policy = TimerPolicy()
        policy.escalationDelays = [.critical: escalation.critical, .high: escalation.high]
        policy.groupingWindow = grouping.window
        return policy
    }

    /// Patient-level alert groups (CONTRACT.md, "Alert groups").
    public struct Grouping: Sendable, Equatable {
        public init() {}

        /// An alert within this (event time) of the patient's open group's latest alert joins the group and pages
        /// only on a severity breakthrough, a critical or an escalation. `grouping.window`, `VIGIL_GROUPING_WINDOW`;
        /// default 24 h; `0s` turns grouping off (every firing alert pages).
        public var window: TimeInterval = 24 * 3600
    }

    public struct Escalation: Sendable, Equatable {
        public init() {}

        /// Delays after detection at which an unacknowledged critical alert is re-published as `escalated`.
        /// `escalation.critical` (list), `VIGIL_ESCALATION_CRITICAL` (comma-separated); default 15 m, 30 m.
        public var critical: [TimeInterval] = [15 * 60, 30 * 60]
        /// The same for high alerts. `escalation.high`, `VIGIL_ESCALATION_HIGH`; default 4 h, 24 h.
        public var high: [TimeInterval] = [4 * 3600, 24 * 3600]
    }

    public struct HTTP: Sendable, Equatable {
        public init() {}

        /// `http.port`, `VIGIL_HTTP_PORT`, `--http-port`; default 8080 (0 picks a free port).
        public var port = 8080
        /// Address to listen on. `http.host`, `VIGIL_HTTP_HOST`, `--http-host`; default 127.0.0.1 (loopback, safe
        /// by default); deployments set 0.0.0.0 so that probes and Prometheus can reach it.
        public var host = "127.0.0.1"
        /// `http.adminToken`, `VIGIL_HTTP_ADMIN_TOKEN`: when set, `POST /-/reload` is served to any client bearing
        /// it (`Authorization: Bearer …`); when not, to loopback clients only. A secret: never logged.
        public var adminToken: String?
    }

    public struct Rules: Sendable, Equatable {
        public init() {}

        /// Rule module to load. `rules.module`, `VIGIL_RULES_MODULE`; default `builtin`.
        public var module = "builtin"
        /// Rule files (paths or globs) loaded beside the module, in priority order after its rules. `rules.files`,
        /// `VIGIL_RULES_FILES` (comma-separated), `--rules-file` (repeatable).
        public var files: [String] = []
        /// Per-rule settings keyed by rule id (`rules.<id>.<parameter>`), validated by the module at start-up.
        public var settings: [String: RuleSettings] = [:]
    }
}
