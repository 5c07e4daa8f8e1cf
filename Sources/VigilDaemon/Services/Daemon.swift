import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization
import VigilCore
import VigilKafka

/// `vigil run`: wires configuration, rules, Kafka, HTTP and metrics into one service group and runs it until
/// SIGTERM or SIGINT.
public struct Daemon: Sendable {
    public static let version = "0.1.0"

    let configuration: VigilConfiguration
    let modules: RuleModuleRegistry
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    /// Called once the HTTP server listens, with its port (tests and the demo use port 0).
    var onHTTPRunning: @Sendable (Int) -> Void = { _ in }
    /// Called on the processing threads with each alert's receipt-to-acknowledgement time in nanoseconds.
    var onAlertDelivered: (@Sendable (UInt64) -> Void)?
    /// Reads the configuration again for a rule reload, with the flags and environment of the start. Without it a
    /// reload re-reads the rule files of the running configuration.
    public var rereadConfiguration: (@Sendable () throws(ConfigurationError) -> VigilConfiguration)?

    public init(configuration: VigilConfiguration, modules: RuleModuleRegistry, logger: Logger, registry: PrometheusCollectorRegistry) {
        self.configuration = configuration
        self.modules = modules
        self.logger = logger
        self.registry = registry
    }

    public func run() async throws {
        // Until the service group takes over, SIGTERM and SIGINT end start-up cleanly instead of killing it.
        let startupSignals = SignalGuard()
        defer { startupSignals.cancel() }
        // SIGHUP reloads the rules (its default action would end the daemon); until they can be, it is ignored.
        let reloaderSlot = Mutex<RuleReloader?>(nil)
        let logger = self.logger
        let hangups = SignalGuard(stopOn: [], handlers: [SIGHUP: {
            guard let reloader = reloaderSlot.withLock({ $0 }) else {
                logger.warning("SIGHUP during start-up: ignored; send it again once the daemon runs")
                return
            }
            _ = reloader.reload()
        }])
        defer { hangups.cancel() }
        let ruleSet = try configurationResult { () throws(ConfigurationError) in
            try modules.ruleSet(for: configuration.rules, timers: configuration.timerPolicy())
        }
        let engine = ruleSet.engine
        let embedded = try startEmbeddedBrokerIfAsked()
        guard let brokers = embedded?.bootstrapServers ?? configuration.kafka.brokers else {
            throw DaemonError(.configuration, """
                no Kafka brokers configured: give --brokers (or VIGIL_BROKERS, or kafka.brokers in --config), \
                or try it out with --embedded-broker or `vigil demo`
                """)
        }
        var properties = configuration.kafka.properties
        properties["bootstrap.servers"] = brokers

        let threads = configuration.processing.threads
        // One loop reports into the daemon's health state; several report into their own, which it combines.
        let loopHealth = threads == 1 ? [] : (0..<threads).map { _ in HealthState() }
        let health = HealthState(loops: loopHealth)
        let metrics = VigilMetrics(factory: PrometheusMetricsFactory(registry: registry), ruleIds: engine.rules.map(\.id) + engine.timerPolicy.ruleIds,
            shadowRuleIds: ruleSet.rules.filter(\.isShadow).map(\.id))
        var loops: [ProcessingLoop] = []
        do {
            var settings = ProcessingSettings(
                inputTopics: configuration.topics.inputs, alertsTopic: configuration.topics.alerts,
                deadLetterTopic: configuration.topics.deadLetter, shutdownTimeout: configuration.shutdownTimeout)
            settings.stateTopic = configuration.topics.state
            settings.stateRetention = configuration.state.retention
            settings.restoreTimeout = configuration.state.restoreTimeout
            settings.checkpointInterval = configuration.state.checkpointInterval
            settings.maxIdle = configuration.processing.maxIdle
            settings.guarantee = configuration.processing.guarantee
            for index in 0..<threads {
                // Each thread is a member of the group in its own right, with ids of its own.
                let identity = ProcessingThreadIdentity(index: index, configuration: configuration)
                settings.groupInstanceId = identity.groupInstanceId
                settings.transactionalId = identity.transactionalId
                var threadLogger = logger
                if threads > 1 { threadLogger[metadataKey: "vigil.thread"] = .stringConvertible(index + 1) }
                loops.append(try ProcessingLoop(
                    settings: settings,
                    kafkaProperties: properties, groupId: configuration.kafka.groupId, engine: engine,
                    decoder: EventDecoder(limits: configuration.limits), metrics: metrics,
                    health: loopHealth.isEmpty ? health : loopHealth[index], logger: threadLogger))
            }
        } catch {
            throw DaemonError(error.code == .configuration ? .configuration : .internalError, "Kafka client: \(error.message)")
        }
        for loop in loops { loop.onAlertDelivered = onAlertDelivered }
        let running = configuration
        let reloader = RuleReloader(
            ruleSet: ruleSet, running: configuration, registry: modules, handoffs: loops.map(\.engineHandoff),
            factory: PrometheusMetricsFactory(registry: registry), logger: logger,
            readConfiguration: rereadConfiguration ?? { running })
        reloaderSlot.withLock { $0 = reloader }
        try await StartupCheck(loop: loops[0], topics: configuration.topics, connectTimeout: configuration.kafka.connectTimeout, signals: startupSignals, logger: logger).run()
        health.update { snapshot in
            snapshot.brokersConnected = true
            snapshot.rulesLoaded = true
            // Ready until an assignment brings partitions whose state must be restored first.
            snapshot.stateReady = true
        }
        for threadHealth in loopHealth { threadHealth.update { $0.stateReady = true } }

        let groupId = configuration.kafka.groupId
        let onHTTPRunning = self.onHTTPRunning
        let httpLimits = HTTPServerLimits()
        let http = Application(
            router: OperationsRouter.build(
                health: health, registry: registry,
                status: { StatusInfo(version: Self.version, ruleSet: reloader.ruleSet, groupId: groupId) },
                reload: ReloadEndpoint(adminToken: configuration.http.adminToken, reload: reloader.reload)),
            server: httpLimits.server(),
            configuration: httpLimits.configuration(host: configuration.http.host, port: configuration.http.port, logger: logger),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("HTTP listening", metadata: ["http.port": .stringConvertible(port)])
                onHTTPRunning(port)
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: http),
                .init(service: ProcessingService(loops: loops, shutdownTimeout: configuration.shutdownTimeout, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: ConnectivityMonitor(loop: loops[0], health: health)),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        ))
        startupSignals.cancel()
        logger.info("vigil started", metadata: [
            "vigil.rules.module": .string(ruleSet.moduleName), "vigil.rules.hash": .string(ruleSet.hash), "vigil.rules": .stringConvertible(engine.rules.count),
            "vigil.guarantee": .string(configuration.processing.guarantee.rawValue), "vigil.threads": .stringConvertible(threads),
        ])
        try await group.run()
        withExtendedLifetime(embedded) {}
    }

    private func startEmbeddedBrokerIfAsked() throws(DaemonError) -> EmbeddedBroker? {
        guard configuration.embeddedBroker else { return nil }
        let topics = configuration.topics.inputs + [configuration.topics.alerts, configuration.topics.deadLetter, configuration.topics.state]
        let broker = try EmbeddedBroker(topics: topics, logger: logger)
        // stdout carries the bootstrap servers alone on a line, for scripts and kcat; the warning goes to stderr.
        FileHandle.standardOutput.write(Data((broker.bootstrapServers + "\n").utf8))
        FileHandle.standardError.write(Data("vigil: running on an embedded in-memory broker at \(broker.bootstrapServers); nothing is kept after exit\n".utf8))
        return broker
    }

    private func configurationResult<Value>(_ body: () throws(ConfigurationError) -> Value) throws(DaemonError) -> Value {
        do {
            return try body()
        } catch {
            throw DaemonError(.configuration, error.message)
        }
    }
}
