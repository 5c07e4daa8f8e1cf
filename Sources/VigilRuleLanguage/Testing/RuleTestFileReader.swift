import Foundation
import VigilCore
import Yams

/// Reads a rule-test file, collecting every problem with its position.
struct RuleTestFileReader {
    var document: YAMLDocument
    private var start = Date(timeIntervalSince1970: 0)

    init(document: YAMLDocument) {
        self.document = document
    }

    mutating func read() -> RuleTestFile? {
        guard let root = document.root else {
            if document.diagnostics.isEmpty { document.problem(nil, "the file is empty: a rule-test file needs start and tests") }
            return nil
        }
        guard let members = document.members(root, what: "a rule-test file", allowed: ["rules", "config", "start", "tests"]) else { return nil }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let startNode = fields["start"], let testsNode = fields["tests"] else {
            document.problem(root, "a rule-test file needs start and tests")
            return nil
        }
        guard let startText = document.string(startNode, what: "start"), let start = RFC3339.parse(startText) else {
            document.problem(startNode, "start must be an RFC 3339 time, as 2026-03-02T08:00:00Z")
            return nil
        }
        self.start = start
        let rules = fields["rules"].flatMap { document.string($0, what: "rules") }
        var configYAML: String?
        if let configNode = fields["config"] {
            if configNode.mapping == nil {
                document.problem(configNode, "config must be a mapping: the configuration file's rules section")
            } else {
                configYAML = (try? Yams.serialize(node: Node.mapping(Node.Mapping([(Node("rules"), configNode)])))) ?? ""
            }
        }
        var tests: [RuleTest] = []
        if let list = document.sequence(testsNode, what: "tests") {
            for (index, node) in list.enumerated() {
                if let test = readTest(node, index: index) { tests.append(test) }
            }
        }
        return RuleTestFile(path: document.file, rules: rules, configYAML: configYAML, start: start, tests: tests)
    }

    private func location(_ node: Node) -> String { "\(document.file):\(node.mark?.line ?? 1)" }

    private mutating func time(_ node: Node, what: String) -> Date? {
        guard let text = document.string(node, what: what), let time = ClockText.time(text, start: start) else {
            document.problem(node, "\(what) must be an offset from start (90s, 15m, 2h, 3d, 3h10m) or an RFC 3339 time")
            return nil
        }
        return time
    }

    private mutating func readTest(_ node: Node, index: Int) -> RuleTest? {
        guard let members = document.members(node, what: "a test", allowed: ["name", "events", "until", "alerts"]) else { return nil }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let nameNode = fields["name"], let name = document.string(nameNode, what: "name"), let eventsNode = fields["events"] else {
            document.problem(node, "a test needs name and events")
            return nil
        }
        var events: [RuleTest.Input] = []
        for (number, eventNode) in (document.sequence(eventsNode, what: "events") ?? []).enumerated() {
            if let event = readEvent(eventNode, defaultId: "test-\(index + 1)-\(number + 1)") { events.append(event) }
        }
        let until = fields["until"].flatMap { time($0, what: "until") }
        var alerts: [RuleTest.ExpectedAlert] = []
        if let alertsNode = fields["alerts"] {
            for alertNode in document.sequence(alertsNode, what: "alerts") ?? [] {
                if let alert = readAlert(alertNode) { alerts.append(alert) }
            }
        }
        return RuleTest(name: name, location: location(node), events: events, until: until, alerts: alerts)
    }

    private mutating func readEvent(_ node: Node, defaultId: String) -> RuleTest.Input? {
        guard let members = document.members(node, what: "an event", allowed: ["at", "patient", "type", "id", "source", "data", "arrive", "ack"]) else { return nil }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let atNode = fields["at"], let patientNode = fields["patient"] else {
            document.problem(node, "an event needs at and patient")
            return nil
        }
        guard let at = time(atNode, what: "at"), let patient = document.string(patientNode, what: "patient") else { return nil }
        var arrival = at
        if let arriveNode = fields["arrive"] {
            guard let arrive = time(arriveNode, what: "arrive") else { return nil }
            if arrive < at { document.problem(arriveNode, "arrive must not be before at") }
            arrival = arrive
        }
        if let ackNode = fields["ack"] {
            if let extra = fields["type"] ?? fields["data"] { document.problem(extra, "an acknowledgement has at, patient and ack only") }
            guard let rule = document.string(ackNode, what: "ack") else { return nil }
            return RuleTest.Input(kind: .acknowledgement(rule: rule), patient: patient, time: at, arrival: arrival, location: location(node))
        }
        guard let typeNode = fields["type"], let type = document.string(typeNode, what: "type") else {
            document.problem(node, "an event needs type (or ack)")
            return nil
        }
        var data: [String: Any] = [:]
        if let dataNode = fields["data"] {
            guard dataNode.mapping != nil, YAMLDocument.hasOnlyScalarKeys(dataNode), let values = dataNode.any as? [String: Any] else {
                document.problem(dataNode, "data must be a mapping")
                return nil
            }
            data = values
        }
        data["patientId"] = patient
        let envelope: [String: Any] = [
            "specversion": "1.0",
            "id": fields["id"].flatMap { document.string($0, what: "id") } ?? defaultId,
            "source": fields["source"].flatMap { document.string($0, what: "source") } ?? "test://vigil",
            "type": type,
            "time": RFC3339.format(at),
            "datacontenttype": "application/json",
            "data": data,
        ]
        guard JSONSerialization.isValidJSONObject(envelope), let json = try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]) else {
            document.problem(node, "the event cannot be written as JSON")
            return nil
        }
        return RuleTest.Input(kind: .event(json: Array(json)), patient: patient, time: at, arrival: arrival, location: location(node))
    }

    private mutating func readAlert(_ node: Node) -> RuleTest.ExpectedAlert? {
        guard let members = document.members(node, what: "an expected alert", allowed: ["at", "patient", "rule", "severity", "status", "notify"]) else { return nil }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let atNode = fields["at"], let patientNode = fields["patient"], let ruleNode = fields["rule"], let severityNode = fields["severity"], let statusNode = fields["status"] else {
            document.problem(node, "an expected alert needs at, patient, rule, severity and status")
            return nil
        }
        guard let at = time(atNode, what: "at"), let patient = document.string(patientNode, what: "patient"), let rule = document.string(ruleNode, what: "rule"),
            let severityText = document.string(severityNode, what: "severity"), let status = document.string(statusNode, what: "status")
        else { return nil }
        guard let severity = Severity(name: severityText) else {
            document.problem(severityNode, "severity must be one of low, medium, high, critical")
            return nil
        }
        guard ["firing", "escalated", "resolved"].contains(status) else {
            document.problem(statusNode, "status must be firing, escalated or resolved")
            return nil
        }
        let notify = fields["notify"].flatMap { document.bool($0, what: "notify") }
        return RuleTest.ExpectedAlert(at: at, patient: patient, rule: rule, severity: severity, status: status, notify: notify)
    }
}
