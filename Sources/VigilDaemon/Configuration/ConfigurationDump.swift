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
            // The effective id, unless a raw group.instance.id property (printed below) gives it.
            ("groupInstanceId", kafka.properties["group.instance.id"] == nil ? quoted(configuration.effectiveGroupInstanceId() ?? "") : nil),
            ("connectTimeout", duration(kafka.connectTimeout)),
        ])
        if !kafka.properties.isEmpty {
            lines.append("  properties:")
            for (key, value) in kafka.properties.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(self.key(key)): \(quoted(SecretProperty.isSecret(key) ? SecretProperty.redacted : value))")
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
            ("transactionalId", configuration.processing.transactionalId.map(quoted)), ("threads", String(configuration.processing.threads)),
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
            lines.append("  \(key(rule)):")
            for (parameter, value) in settings.configured.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(key(parameter)): \(SecretProperty.isSecret(parameter) ? quoted(SecretProperty.redacted) : text(value))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar; what YAML does not allow raw (controls, DEL, C1, the BOM, non-characters,
    /// line and paragraph separators) is escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x0A: result += "\\n"
            case 0x09: result += "\\t"
            case 0x00..<0x20, 0x7F...0x9F, 0xFEFF, 0xFFFE, 0xFFFF, 0x2028, 0x2029:
                result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A mapping key: as written when it is a plain word (`sasl.password`, `craving-spike`), else quoted.
    static func key(_ text: String) -> String {
        let plain = text.first.map { $0.isASCII && ($0.isLetter || $0.isNumber) } == true
            && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._/-".unicodeScalars.contains($0)) }
        return plain ? text : quoted(text)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        DurationText.text(seconds)
    }

    static func text(_ value: RuleSettings.Value) -> String {
        switch value {
        case .bool(let flag): String(flag)
        case .number(let number): number.isNaN ? ".nan" : number.isInfinite ? (number < 0 ? "-.inf" : ".inf") : number.compact
        case .string(let string): quoted(string)
        case .list(let values): "[" + values.map(text).joined(separator: ", ") + "]"
        }
    }
}
