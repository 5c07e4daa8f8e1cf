import Foundation
import VigilCore
import VigilKafka

/// The effective configuration as YAML in the configuration file's layout (`vigil run --print-config`), with every
/// secret (`SecretProperty`: `sasl.password`, `ssl.key.password`, `*.password`, `*secret*`, `http.adminToken`, …)
/// replaced by `[redacted]`, so that the output can be pasted into a ticket.
public enum ConfigurationDump {
    public static func yaml(_ configuration: VigilConfiguration) -> String {
        var lines: [String] = []
        func section(_ name: String, _ entries: [(String, String?)]) {
            lines.append("\(name):")
            for (key, value) in entries {
                guard let value else { continue }
                lines.append("  \(key): \(value)")
            }
        }
        let kafka = configuration.kafka
        section("kafka", [
            ("brokers", kafka.brokers.map(quoted)), ("groupId", quoted(kafka.groupId)),
            ("groupInstanceId", quoted(configuration.effectiveGroupInstanceId() ?? "")),
            ("connectTimeout", duration(kafka.connectTimeout)),
        ])
        if !kafka.properties.isEmpty {
            lines.append("  properties:")
            for (key, value) in kafka.properties.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(key): \(quoted(SecretProperty.isSecret(key) ? SecretProperty.redacted : value))")
            }
        }
        let topics = configuration.topics
        section("topics", [
            ("inputs", "[" + topics.inputs.map(quoted).joined(separator: ", ") + "]"), ("alerts", quoted(topics.alerts)),
            ("deadLetter", quoted(topics.deadLetter)), ("state", quoted(topics.state)),
        ])
        section("http", [
            ("port", String(configuration.http.port)), ("host", quoted(configuration.http.host)),
            ("adminToken", configuration.http.adminToken.map { _ in quoted(SecretProperty.redacted) }),
        ])
        section("limits", [("maxEventBytes", String(configuration.limits.maxEventBytes)), ("maxClockSkew", duration(configuration.limits.maxClockSkew))])
        lines.append("shutdownTimeout: \(duration(configuration.shutdownTimeout))")
        section("processing", [
            ("guarantee", configuration.processing.guarantee.rawValue), ("maxIdle", duration(configuration.processing.maxIdle)),
            ("transactionalId", configuration.processing.transactionalId.map(quoted)),
        ])
        section("state", [
            ("retention", duration(configuration.state.retention)), ("restoreTimeout", duration(configuration.state.restoreTimeout)),
            ("checkpointInterval", duration(configuration.state.checkpointInterval)),
        ])
        section("escalation", [
            ("critical", "[" + configuration.escalation.critical.map(duration).joined(separator: ", ") + "]"),
            ("high", "[" + configuration.escalation.high.map(duration).joined(separator: ", ") + "]"),
        ])
        section("grouping", [("window", duration(configuration.grouping.window))])
        section("logging", [("level", configuration.logLevel)])
        let rules = configuration.rules
        section("rules", [("module", quoted(rules.module)), ("files", rules.files.isEmpty ? nil : "[" + rules.files.map(quoted).joined(separator: ", ") + "]")])
        for (rule, settings) in rules.settings.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(rule):")
            for (parameter, value) in settings.configured.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(parameter): \(SecretProperty.isSecret(parameter) ? quoted(SecretProperty.redacted) : text(value))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar (JSON's escapes are valid in it).
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        DurationText.text(seconds)
    }

    static func text(_ value: RuleSettings.Value) -> String {
        switch value {
        case .bool(let flag): String(flag)
        case .number(let number): number.compact
        case .string(let string): quoted(string)
        case .list(let values): "[" + values.map(text).joined(separator: ", ") + "]"
        }
    }
}
