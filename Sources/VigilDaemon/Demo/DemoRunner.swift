import Foundation
import Logging
import Prometheus
import VigilCore
import VigilKafka

/// `vigil demo`: the daemon on an embedded broker, fed by a synthetic caseload, printing each alert as a line a
/// person can read, until SIGINT or SIGTERM.
public struct DemoRunner: Sendable {
    let modules: RuleModuleRegistry
    let httpPort: Int
    let patients: Int
    let eventsPerSecond: Double
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    let output: @Sendable (String) -> Void

    public init(
        modules: RuleModuleRegistry, httpPort: Int, patients: Int, eventsPerSecond: Double, logger: Logger,
        registry: PrometheusCollectorRegistry, output: @escaping @Sendable (String) -> Void
    ) {
        self.modules = modules
        self.httpPort = httpPort
        self.patients = patients
        self.eventsPerSecond = eventsPerSecond
        self.logger = logger
        self.registry = registry
        self.output = output
    }

    public func run() async throws {
        let broker = try EmbeddedBroker(logger: logger)
        var configuration = VigilConfiguration()
        configuration.kafka.brokers = broker.bootstrapServers
        configuration.kafka.groupId = "vigil-demo"
        configuration.http.port = httpPort
        output("Vigil demo: embedded broker at \(broker.bootstrapServers) (nothing is kept after exit). Ctrl-C stops.")
        output("time      severity  rule                 patient              summary   (└ no page: updates the patient's case)")

        let properties = ["bootstrap.servers": broker.bootstrapServers]
        let stop = StopFlag()
        let output = self.output
        let daemon = {
            var daemon = Daemon(configuration: configuration, modules: modules, logger: logger, registry: registry)
            daemon.onHTTPRunning = { port in output("(health, metrics and status on http://127.0.0.1:\(port))") }
            return daemon
        }()
        let feeder = DemoFeeder(properties: properties, topics: configuration.topics, patients: patients, interval: 1 / eventsPerSecond, logger: logger)
        let printer = AlertPrinter(properties: properties, topic: configuration.topics.alerts, logger: logger, output: output)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            group.addTask { try await DedicatedThread.run(name: "vigil-demo-feeder") { try feeder.run(until: stop) } }
            group.addTask { try await DedicatedThread.run(name: "vigil-demo-printer") { try printer.run(until: stop) } }
            // The daemon ends on SIGINT or SIGTERM; then the feeder and printer stop too.
            defer { stop.set() }
            try await group.next()
            stop.set()
            try await group.waitForAll()
        }
        withExtendedLifetime(broker) {}
    }
}

/// Publishes the demo's synthetic events at a steady pace.
struct DemoFeeder: Sendable {
    let properties: [String: String]
    let topics: VigilConfiguration.Topics
    let patients: Int
    let interval: TimeInterval
    let logger: Logger

    func run(until stop: StopFlag) throws {
        let producer = try KafkaProducer(properties: properties, logger: logger, deliveryHandler: { _ in }, errorHandler: { _, _ in })
        var script = DemoScript(patients: patients)
        let headers = [KafkaHeader.structuredCloudEvent]
        var nextTick = Date()
        while !stop.isSet {
            for event in script.next(now: Date()) {
                let topic = event.type == .craving ? topics.inputs[min(1, topics.inputs.count - 1)] : topics.inputs[0]
                try producer.produce(topic: topic, key: Array(event.patientId.utf8), value: event.json(), headers: headers, token: 0)
            }
            // A poll returns as soon as it serves a delivery report, so keep polling until the next tick is due.
            nextTick = max(nextTick.addingTimeInterval(interval), Date().addingTimeInterval(-interval))
            while !stop.isSet, case let remaining = nextTick.timeIntervalSinceNow, remaining > 0 {
                producer.poll(timeout: .milliseconds(max(1, Int64(remaining * 1000))))
            }
        }
        _ = producer.flush(timeout: .seconds(5))
    }
}

/// Reads alerts as a care team's system would and prints one line per alert: a page (`notify: true`) flush left,
/// an alert that does not page (it joined the patient's open group, or republishes one as resolved) indented under
/// it, marked `└`.
struct AlertPrinter: Sendable {
    let properties: [String: String]
    let topic: String
    let logger: Logger
    let output: @Sendable (String) -> Void

    func run(until stop: StopFlag) throws {
        let consumer = try KafkaConsumer(
            properties: properties, groupId: "vigil-demo-printer-\(ProcessInfo.processInfo.processIdentifier)", logger: logger,
            rebalanceHandler: { _ in }, errorHandler: { _, _ in })
        try consumer.subscribe(topics: [topic])
        defer { consumer.close() }
        while !stop.isSet {
            _ = consumer.poll(maxMessages: 100, timeout: .milliseconds(200)) { message in
                guard let value = message.value, let line = try? Self.line(for: JSONParser.parse(value)) else { return }
                output(line)
            }
        }
    }

    static func line(for alert: JSONValue) -> String? {
        guard case .string(let time)? = alert["time"], let data = alert["data"],
            case .string(let severity)? = data["severity"], case .string(let rule)? = data["rule"],
            case .string(let patient)? = data["patientId"], case .string(let summary)? = data["summary"]
        else { return nil }
        let clock = time.dropFirst(11).prefix(8)
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        let pages: Bool
        if case .bool(let notify)? = data["notify"] { pages = notify } else { pages = true }
        let indent = pages ? "" : "  └ "
        return "\(clock)  \(indent)\(pad(severity.uppercased(), 8))  \(pad(rule, 19))  \(pad(patient, 19))  \(summary)"
    }
}
