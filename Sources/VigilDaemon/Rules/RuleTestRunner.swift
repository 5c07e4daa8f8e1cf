import Foundation
import VigilCore
import VigilRuleLanguage

/// Runs rule tests on a virtual clock, with no broker: events go through the production decoder and the engine;
/// before each event (and up to the test's end) the clock stops at every timer's due time, so absence rules and
/// escalations fire when they would live.
public struct RuleTestRunner: Sendable {
    let registry: RuleModuleRegistry
    let decoder = EventDecoder()

    public init(registry: RuleModuleRegistry) {
        self.registry = registry
    }

    public struct Outcome: Sendable {
        public var test: RuleTest
        public var expected: [RuleTest.ExpectedAlert]
        public var got: [RuleTest.ExpectedAlert]
        /// Why the test could not run as written (an acknowledgement with no alert to acknowledge).
        public var problem: String?

        public var passed: Bool { problem == nil && RuleTestRunner.sameMultiset(expected, got) }
    }

    /// The rule set a test file runs: `--rules` over the file's `rules`, settings from `--config` over the file's
    /// `config`; a relative rule file is relative to the test file.
    public func ruleSet(for file: RuleTestFile, rulesSource: String?, configFile: String?) throws(ConfigurationError) -> RuleSet {
        var rules = VigilConfiguration.Rules()
        if let configFile {
            rules = try RuleSettingsFile.rules(inConfigurationFile: configFile)
        } else if let yaml = file.configYAML {
            rules = try RuleSettingsFile.rules(yaml: yaml)
            let directory = URL(fileURLWithPath: file.path).deletingLastPathComponent().path
            rules.files = rules.files.map { RuleSettingsFile.resolve($0, relativeTo: directory) }
        }
        if let source = rulesSource ?? file.rules {
            let directory = rulesSource == nil ? URL(fileURLWithPath: file.path).deletingLastPathComponent().path : FileManager.default.currentDirectoryPath
            let resolved = registry.modules.contains { $0.name == source } ? source : RuleSettingsFile.resolve(source, relativeTo: directory)
            let chosen = registry.rules(source: resolved, settings: rules.settings)
            rules.module = chosen.module
            rules.files = chosen.files
        }
        return try registry.ruleSet(for: rules)
    }

    public func run(_ test: RuleTest, start: Date, engine: RuleEngine) throws(ConfigurationError) -> Outcome {
        var run = VirtualClockRun(engine: engine, clock: start)
        var problem: String?
        for input in test.events {
            run.advance(to: input.arrival)
            switch input.kind {
            case .event(let json):
                let message = BufferedMessage(key: Array(input.patient.utf8), value: json)
                switch decoder.decode(message, now: input.arrival) {
                case .success(let event): run.process(event)
                case .failure(let failure):
                    throw ConfigurationError("\(input.location): the event is not valid input: \(failure.code.rawValue): \(failure.detail)")
                }
            case .acknowledgement(let rule):
                guard let alert = run.published.last(where: { $0.patientId == input.patient && $0.rule == rule }) else {
                    problem = "\(input.location): no alert of \(rule) for \(input.patient) to acknowledge"
                    break
                }
                let ack = PatientEvent(
                    id: "ack-\(run.published.count)-\(input.time.timeIntervalSince1970)", source: "test://vigil", time: input.time,
                    patientId: input.patient, payload: .alertAck(AlertAck(alertId: alert.alertId, action: .acknowledged)))
                run.process(ack)
            }
        }
        run.advance(to: test.until ?? test.events.map(\.arrival).max() ?? start)
        let got = run.published.map {
            RuleTest.ExpectedAlert(at: $0.detectedAt, patient: $0.patientId, rule: $0.rule, severity: $0.severity, status: $0.status.rawValue, notify: $0.notify)
        }
        return Outcome(test: test, expected: test.alerts, got: got, problem: problem)
    }

    static func sameMultiset(_ expected: [RuleTest.ExpectedAlert], _ got: [RuleTest.ExpectedAlert]) -> Bool {
        var remaining = got
        for alert in expected {
            guard let index = remaining.firstIndex(where: alert.matches) else { return false }
            remaining.remove(at: index)
        }
        return remaining.isEmpty
    }
}

/// The engine on a virtual clock, for one test or one backtest: each starts with empty state. Patients wait in a
/// `TimerIndex` by their next due instant, so the clock's work follows the timers that come due, never a scan of
/// every patient.
struct VirtualClockRun {
    let engine: RuleEngine
    var clock: Date
    var states: [String: PatientState] = [:]
    var published: [Alert] = []
    private var timers = TimerIndex<[String: Date]>()

    init(engine: RuleEngine, clock: Date) {
        self.engine = engine
        self.clock = clock
    }

    /// Fires every timer due up to `limit`, earliest first, with the clock at its due time.
    mutating func advance(to limit: Date) {
        while let due = timers.nextDue(), due <= limit {
            clock = max(clock, due)
            for patient in timers.popDue(upTo: due) {
                published += engine.fireTimers(patientId: patient, state: &states[patient, default: PatientState()], now: clock)
                // A timer still due at this instant has nothing left to fire until the patient's next event.
                let next = engine.nextTimerDue(states[patient]!)
                timers.schedule(patient, at: next.flatMap { $0 > due ? $0 : nil })
            }
        }
        clock = max(clock, limit)
    }

    @discardableResult
    mutating func process(_ event: PatientEvent) -> EngineResult {
        let result = engine.process(event, state: &states[event.patientId, default: PatientState()], detectedAt: clock)
        published += result.timerAlerts
        if let alert = result.alert { published.append(alert) }
        timers.schedule(event.patientId, at: engine.nextTimerDue(states[event.patientId]!))
        return result
    }
}

/// A structured-mode message built from owned bytes, for the production decoder.
final class BufferedMessage: InboundMessage {
    private let keyBuffer: UnsafeMutableRawBufferPointer
    private let valueBuffer: UnsafeMutableRawBufferPointer
    private let contentTypeBuffer: UnsafeMutableRawBufferPointer

    init(key: [UInt8], value: [UInt8], contentType: String = "application/cloudevents+json") {
        keyBuffer = Self.copy(key)
        valueBuffer = Self.copy(value)
        contentTypeBuffer = Self.copy(Array(contentType.utf8))
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        buffer.copyBytes(from: bytes)
        return buffer
    }

    deinit {
        keyBuffer.deallocate()
        valueBuffer.deallocate()
        contentTypeBuffer.deallocate()
    }

    var key: UnsafeRawBufferPointer? { UnsafeRawBufferPointer(keyBuffer) }
    var value: UnsafeRawBufferPointer? { UnsafeRawBufferPointer(valueBuffer) }

    func header(_ name: String) -> UnsafeRawBufferPointer? {
        name == "content-type" ? UnsafeRawBufferPointer(contentTypeBuffer) : nil
    }
}
