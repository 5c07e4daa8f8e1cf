import Foundation
@testable import VigilCore
@testable import VigilRuleLanguage
import VigilConfig

/// What each target feeds its input to. Every target also checks a property where one holds (a decoded state
/// encodes and decodes to itself), so that a wrong answer is a finding, not only a crash.
enum FuzzTarget: String, CaseIterable {
    /// `EventDecoder` in both content modes, with headers and with or without a key (`FuzzMessage`).
    case decoder
    case json
    case rfc3339
    /// `PatientStateCodec.decode`, every version it reads; a decoded state round-trips.
    case state
    /// A whole rule file (YAML), checked and compiled.
    case ruleFile = "rule-file"
    /// An expression as a rule's `when`, compiled and evaluated over a few events.
    case expression
    /// A rule-test file (YAML).
    case ruleTestFile = "rule-test-file"
    /// The daemon's configuration file (YAML), read as `vigil run --config` reads it.
    case configFile = "config-file"

    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .decoder: Self.decoder(bytes)
        case .json: _ = try? JSONParser.parse(bytes)
        case .rfc3339: Self.rfc3339(bytes)
        case .state: Self.state(bytes)
        case .ruleFile: _ = RuleFileParser.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        case .expression: Self.expression(bytes)
        case .ruleTestFile: _ = RuleTestFile.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.test.yaml")
        case .configFile: Self.configFile(bytes)
        }
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    private static func decoder(_ bytes: UnsafeRawBufferPointer) {
        let message = FuzzMessage(bytes)
        switch EventDecoder().decode(message, now: now) {
        case .success(let event):
            // What passes must be what the contract allows.
            precondition(!event.id.isEmpty && !event.source.isEmpty, "an event without id or source passed")
            precondition(!UTF8Text.containsControlCharacter(event.id) && !UTF8Text.containsControlCharacter(event.source), "a control character passed")
            precondition(message.key.map { String(decoding: $0, as: UTF8.self) } == event.patientId, "the key is not the patient id")
        case .failure(let failure):
            precondition(!failure.detail.contains("\n"), "a detail of more than one line")
        }
    }

    private static func rfc3339(_ bytes: UnsafeRawBufferPointer) {
        guard let text = String(validating: bytes, as: UTF8.self), let date = RFC3339.parse(text) else { return }
        // Formatting is to the millisecond: a formatted time parses back to the same text.
        let formatted = RFC3339.format(date)
        precondition(RFC3339.parse(formatted).map(RFC3339.format) == formatted, "format and parse disagree")
    }

    private static func state(_ bytes: UnsafeRawBufferPointer) {
        guard var state = try? PatientStateCodec.decode(bytes, patientId: "P-1") else { return }
        // The partition is the restorer's to set (version 1 held it; later versions leave it out).
        state.partition = nil
        let encoded = PatientStateCodec.encode(state)
        let again = encoded.withUnsafeBytes { try? PatientStateCodec.decode($0, patientId: "P-1") }
        if let again, again != state {
            let fields: [(String, Bool)] = [
                ("history", again.history == state.history), ("processedEvents", again.processedEvents == state.processedEvents),
                ("cooldowns", again.cooldowns == state.cooldowns), ("timers", again.timers == state.timers),
                ("isDischarged", again.isDischarged == state.isDischarged), ("latestEventTime", again.latestEventTime == state.latestEventTime),
                ("group", again.group == state.group), ("partition", again.partition == state.partition),
            ]
            preconditionFailure("a decoded state does not round-trip: \(fields.filter { !$0.1 }.map(\.0))")
        }
        precondition(again != nil, "a re-encoded state does not decode")
    }

    /// Reading a file is deterministic: the same text gives the same configuration or the same refusal, which names
    /// what it refused. One exception, Yams's: when several mappings repeat keys, which of them its error reports
    /// varies from run to run, so such refusals are compared by kind only.
    private static func configFile(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        func read() -> Result<VigilConfiguration, ConfigurationError> {
            var configuration = VigilConfiguration()
            do throws(ConfigurationError) {
                try ConfigurationFile.apply(yaml: text, to: &configuration)
                return .success(configuration)
            } catch {
                return .failure(error)
            }
        }
        func outcome(_ result: Result<VigilConfiguration, ConfigurationError>) -> Result<VigilConfiguration, ConfigurationError> {
            guard case .failure(let error) = result, error.message.hasSuffix("is given twice in one mapping") else { return result }
            return .failure(ConfigurationError("a key is given twice"))
        }
        let first = read()
        precondition(outcome(first) == outcome(read()), "the same configuration file read twice gave different results")
        if case .failure(let error) = first { precondition(!error.message.isEmpty, "a refusal without a message") }
    }

    /// A rule that reads the fuzzed expression as its condition, over cravings and check-ins.
    private static func expression(_ bytes: UnsafeRawBufferPointer) {
        let expression = String(decoding: bytes, as: UTF8.self)
        let indented = expression.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        let file = """
            rules:
              - id: fuzzed
                version: 1
                description: a fuzzed condition
                on: [care.craving.v1, care.checkin.v1]
                cooldown: 0s
                lookback: 7d
                when: |-
            \(indented)
                tiers:
                  - severity: high
                    summary: fuzzed
            """
        guard case .success(let definitions) = RuleFileParser.parse(file, file: "fuzz.yaml"),
            let rules = try? FileRuleModule(definitions).makeRules(settings: [:])
        else { return }
        let engine = RuleEngine(rules: rules)
        var state = PatientState()
        for (index, event) in events.enumerated() {
            _ = engine.process(event, state: &state, detectedAt: now.addingTimeInterval(Double(index)))
        }
    }

    private static let events: [PatientEvent] = (0..<6).map { index in
        let time = now.addingTimeInterval(Double(index) * 3600)
        let payload: PatientEvent.Payload = index.isMultiple(of: 2)
            ? .craving(Craving(score: Double(index + 3), substance: "ketamine"))
            : .checkin(Checkin(mood: index, stress: 9 - index, sleepHours: 4.5, substanceUse: .init(used: index == 3, substances: ["alcohol"]), cueExposure: true, phq9Item9: index % 2))
        return PatientEvent(id: "e-\(index)", source: "fuzz://", time: time, patientId: "P-1", payload: payload)
    }
}
