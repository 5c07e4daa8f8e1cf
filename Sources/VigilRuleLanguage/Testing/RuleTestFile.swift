import Foundation
import VigilCore
import Yams

/// A rule-test file (CONTRACT.md, "Rule test files"): a rule source, optional rule settings, a start time, and
/// tests that each list events, an end of the clock and the alerts expected.
public struct RuleTestFile: Sendable {
    public var path: String
    /// `rules:`, a module name or rule file path; relative paths are taken from the test file's directory.
    public var rules: String?
    /// `config:`, the configuration file's `rules` section, as YAML text (the daemon's reader validates it).
    public var configYAML: String?
    public var start: Date
    public var tests: [RuleTest]
}

public struct RuleTest: Sendable {
    public var name: String
    /// `FILE:LINE` of the test, for reports.
    public var location: String
    public var events: [Input]
    public var until: Date?
    public var alerts: [ExpectedAlert]

    public struct Input: Sendable {
        public enum Kind: Sendable {
            /// A structured-mode CloudEvent, ready for the production decoder.
            case event(json: [UInt8])
            /// `ack: RULE`: acknowledge the patient's latest alert of that rule.
            case acknowledgement(rule: String)
        }

        public var kind: Kind
        public var patient: String
        public var time: Date
        /// When the event is processed: `arrive`, or its own time.
        public var arrival: Date
        public var location: String
    }

    public struct ExpectedAlert: Sendable, Equatable, CustomStringConvertible {
        public var at: Date
        public var patient: String
        public var rule: String
        public var severity: Severity
        public var status: String
        public var notify: Bool?

        public init(at: Date, patient: String, rule: String, severity: Severity, status: String, notify: Bool? = nil) {
            self.at = at
            self.patient = patient
            self.rule = rule
            self.severity = severity
            self.status = status
            self.notify = notify
        }

        /// Whether `got` is this alert: every field equal; `notify` only when this one gives it.
        public func matches(_ got: ExpectedAlert) -> Bool {
            at == got.at && patient == got.patient && rule == got.rule && severity == got.severity && status == got.status
                && (notify == nil || notify == got.notify)
        }

        public var description: String {
            "{at: \(RFC3339.format(at)), patient: \(patient), rule: \(rule), severity: \(severity.name), status: \(status)\(notify.map { ", notify: \($0)" } ?? "")}"
        }
    }
}

extension RuleTestFile {
    public static func load(path: String) -> Result<RuleTestFile, RuleFileErrors> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(RuleFileErrors([RuleFileDiagnostic(file: path, line: 1, column: 1, message: "cannot read the file as UTF-8 text")]))
        }
        return parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) -> Result<RuleTestFile, RuleFileErrors> {
        var document = YAMLDocument(file: file, text: text)
        var reader = RuleTestFileReader(document: document)
        let parsed = reader.read()
        document = reader.document
        guard document.diagnostics.isEmpty, let parsed else {
            return .failure(RuleFileErrors(document.diagnostics.isEmpty ? [RuleFileDiagnostic(file: file, line: 1, column: 1, message: "not a rule-test file")] : document.diagnostics))
        }
        return .success(parsed)
    }
}

/// Offsets from the start, as the test format writes them: `90s`, `15m`, `2h`, `3d`, combined as `3h10m`, or an
/// RFC 3339 time.
enum ClockText {
    static func time(_ text: String, start: Date) -> Date? {
        if let offset = offset(text) { return start.addingTimeInterval(offset) }
        return RFC3339.parse(text)
    }

    static func offset(_ text: String) -> TimeInterval? {
        let units: [(String, TimeInterval)] = [("ms", 0.001), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var total: TimeInterval = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        return total
    }
}
