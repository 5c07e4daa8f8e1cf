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
    /// Log level: trace, debug, info, notice, warning, error, critical. `logging.level`, `VIGIL_LOG_LEVEL`,
    /// `--log-level`; default info. Patient data never appears at info or above.
    public var logLevel = "info"
    /// Run on an in-process broker on loopback (nothing is kept after exit). `--embedded-broker` only.
    public var embeddedBroker = false

    public init() {}

    public struct Kafka: Sendable, Equatable {
        /// Bootstrap servers, `HOST:PORT[,…]`. `kafka.brokers`, `VIGIL_BROKERS`, `--brokers`; no default: the
        /// daemon refuses to start without brokers (or `--embedded-broker`).
        public var brokers: String?
        /// Consumer group id shared by every instance. `kafka.groupId`, `VIGIL_GROUP_ID`, `--group-id`; default `vigil`.
        public var groupId = "vigil"
        /// Give up at start-up (exit 69) when the brokers do not answer within this. `kafka.connectTimeout`,
        /// `VIGIL_CONNECT_TIMEOUT`, `--connect-timeout`; default 30 s.
        public var connectTimeout: TimeInterval = 30
        /// Raw librdkafka properties (TLS, SASL, tuning), passed through as they are. `kafka.properties` (file only).
        public var properties: [String: String] = [:]
    }

    public struct Topics: Sendable, Equatable {
        /// Co-partitioned input topics. `topics.inputs`, `VIGIL_INPUT_TOPICS`, `--input-topics` (comma-separated).
        public var inputs = ["patient.checkins", "patient.cravings", "care.alert-acks"]
        /// `topics.alerts`, `VIGIL_ALERTS_TOPIC`, `--alerts-topic`; default `care.alerts`.
        public var alerts = "care.alerts"
        /// `topics.deadLetter`, `VIGIL_DLQ_TOPIC`, `--dlq-topic`; default `patient.events.dlq`.
        public var deadLetter = "patient.events.dlq"
    }

    public struct HTTP: Sendable, Equatable {
        /// `http.port`, `VIGIL_HTTP_PORT`, `--http-port`; default 8080 (0 picks a free port).
        public var port = 8080
        /// Address to listen on. `http.host`, `VIGIL_HTTP_HOST`, `--http-host`; default 127.0.0.1 (loopback, safe
        /// by default); deployments set 0.0.0.0 so that probes and Prometheus can reach it.
        public var host = "127.0.0.1"
    }

    public struct Rules: Sendable, Equatable {
        /// Rule module to load. `rules.module`, `VIGIL_RULES_MODULE`; default `builtin`.
        public var module = "builtin"
        /// Per-rule settings keyed by rule id (`rules.<id>.<parameter>`), validated by the module at start-up.
        public var settings: [String: RuleSettings] = [:]
    }
}
