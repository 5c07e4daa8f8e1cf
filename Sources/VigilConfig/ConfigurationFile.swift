import Foundation
import VigilCore
import VigilRuleLanguage
import Yams

/// Reads the YAML configuration file (CONTRACT.md's layout) into a configuration. Unknown keys are refused:
/// a misspelt key in a clinical daemon must not silently fall back to a default.
public enum ConfigurationFile {
    public static func apply(yaml text: String, to configuration: inout VigilConfiguration) throws(ConfigurationError) {
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError("the configuration file is not valid YAML: \(YAMLDocument.describe(error, file: "the configuration file"))")
        }
        guard let document else { return }
        guard YAMLDocument.hasOnlyScalarKeys(document) else {
            throw ConfigurationError("the configuration file has a mapping key that is not a plain value (a list or a mapping as a key)")
        }
        var root = try Section(document.any, path: "")

        if var kafka = try root.section("kafka") {
            configuration.kafka.brokers = try kafka.string("brokers") ?? configuration.kafka.brokers
            configuration.kafka.groupId = try kafka.string("groupId") ?? configuration.kafka.groupId
            configuration.kafka.connectTimeout = try kafka.duration("connectTimeout") ?? configuration.kafka.connectTimeout
            configuration.kafka.groupInstanceId = try kafka.string("groupInstanceId") ?? configuration.kafka.groupInstanceId
            if var properties = try kafka.section("properties") {
                configuration.kafka.properties = try properties.allScalarsAsStrings(written: document["kafka"]?["properties"])
            }
            try kafka.finish()
        }
        if var topics = try root.section("topics") {
            configuration.topics.inputs = try topics.strings("inputs") ?? configuration.topics.inputs
            configuration.topics.alerts = try topics.string("alerts") ?? configuration.topics.alerts
            configuration.topics.deadLetter = try topics.string("deadLetter") ?? configuration.topics.deadLetter
            configuration.topics.state = try topics.string("state") ?? configuration.topics.state
            try topics.finish()
        }
        if var http = try root.section("http") {
            configuration.http.port = try http.integer("port") ?? configuration.http.port
            configuration.http.host = try http.string("host") ?? configuration.http.host
            configuration.http.adminToken = try http.string("adminToken") ?? configuration.http.adminToken
            try http.finish()
        }
        if var limits = try root.section("limits") {
            configuration.limits.maxEventBytes = try limits.integer("maxEventBytes") ?? configuration.limits.maxEventBytes
            configuration.limits.maxClockSkew = try limits.duration("maxClockSkew") ?? configuration.limits.maxClockSkew
            try limits.finish()
        }
        configuration.shutdownTimeout = try root.duration("shutdownTimeout") ?? configuration.shutdownTimeout
        if var processing = try root.section("processing") {
            configuration.processing.maxIdle = try processing.duration("maxIdle") ?? configuration.processing.maxIdle
            if let guarantee = try processing.string("guarantee") {
                guard let value = ProcessingGuarantee(rawValue: guarantee) else {
                    throw ConfigurationError("processing.guarantee: must be at-least-once or exactly-once")
                }
                configuration.processing.guarantee = value
            }
            configuration.processing.transactionalId = try processing.string("transactionalId") ?? configuration.processing.transactionalId
            configuration.processing.threads = try processing.integer("threads") ?? configuration.processing.threads
            try processing.finish()
        }
        if var state = try root.section("state") {
            configuration.state.retention = try state.duration("retention") ?? configuration.state.retention
            configuration.state.restoreTimeout = try state.duration("restoreTimeout") ?? configuration.state.restoreTimeout
            configuration.state.checkpointInterval = try state.duration("checkpointInterval") ?? configuration.state.checkpointInterval
            try state.finish()
        }
        if var escalation = try root.section("escalation") {
            configuration.escalation.critical = try escalation.durations("critical") ?? configuration.escalation.critical
            configuration.escalation.high = try escalation.durations("high") ?? configuration.escalation.high
            try escalation.finish()
        }
        if var grouping = try root.section("grouping") {
            configuration.grouping.window = try grouping.duration("window") ?? configuration.grouping.window
            try grouping.finish()
        }
        if var logging = try root.section("logging") {
            configuration.logLevel = try logging.string("level") ?? configuration.logLevel
            try logging.finish()
        }
        if var rules = try root.section("rules") {
            configuration.rules.module = try rules.string("module") ?? configuration.rules.module
            configuration.rules.files = try rules.strings("files") ?? configuration.rules.files
            configuration.rules.settings = try rules.remainingRuleSettings()
        }
        try root.finish()
    }
}

/// A YAML mapping being read; remembers which keys were read so that `finish()` can refuse the rest.
private struct Section {
    let path: String
    let values: [String: Any]
    var read: Set<String> = []

    init(_ value: Any, path: String) throws(ConfigurationError) {
        guard let mapping = value as? [String: Any] else {
            throw ConfigurationError("\(path.isEmpty ? "the configuration file" : path): must be a mapping")
        }
        self.path = path
        self.values = mapping
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func value(_ key: String) -> Any? {
        read.insert(key)
        guard let value = values[key], !(value is NSNull) else { return nil }
        return value
    }

    mutating func section(_ key: String) throws(ConfigurationError) -> Section? {
        guard let value = value(key) else { return nil }
        return try Section(value, path: name(key))
    }

    mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value as? String else { throw ConfigurationError("\(name(key)): must be a string") }
        return text
    }

    mutating func integer(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = value as? Int else { throw ConfigurationError("\(name(key)): must be a whole number") }
        return number
    }

    mutating func duration(_ key: String) throws(ConfigurationError) -> TimeInterval? {
        guard let value = value(key) else { return nil }
        guard let text = value as? String, let seconds = DurationText.seconds(text) else {
            throw ConfigurationError("\(name(key)): must be a duration such as 90s, 15m, 24h or 7d")
        }
        return seconds
    }

    /// A list of durations; an empty list turns escalation off for that severity.
    mutating func durations(_ key: String) throws(ConfigurationError) -> [TimeInterval]? {
        guard let value = value(key) else { return nil }
        guard let list = value as? [Any] else { throw ConfigurationError("\(name(key)): must be a list of durations such as [15m, 30m]") }
        var seconds: [TimeInterval] = []
        for element in list {
            guard let text = element as? String, let duration = DurationText.seconds(text) else {
                throw ConfigurationError("\(name(key)): must be a list of durations such as [15m, 30m]")
            }
            seconds.append(duration)
        }
        return seconds
    }

    mutating func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard let list = value as? [Any], let strings = list as? [String], !strings.isEmpty else {
            throw ConfigurationError("\(name(key)): must be a non-empty list of strings")
        }
        return strings
    }

    /// librdkafka takes every property as a string: the text as written in `written` (the same mapping, unresolved),
    /// so that YAML's typing of `5` or `true` changes nothing, nor turns a password `0123` into the octal 83.
    mutating func allScalarsAsStrings(written: Node?) throws(ConfigurationError) -> [String: String] {
        var result: [String: String] = [:]
        // In key order, here and below: a file with several problems always reports the same one first.
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            read.insert(key)
            switch value {
            case let text as String: result[key] = text
            case let flag as Bool: result[key] = flag ? "true" : "false"
            case let number as Int: result[key] = String(number)
            case let number as Double: result[key] = String(number)
            default: throw ConfigurationError("\(name(key)): must be a scalar")
            }
            if let text = written?[key]?.scalar?.string { result[key] = text }
        }
        return result
    }

    /// Every key not yet read is a rule id with its settings; the rule module validates them.
    mutating func remainingRuleSettings() throws(ConfigurationError) -> [String: RuleSettings] {
        var settings: [String: RuleSettings] = [:]
        for (rule, value) in values.sorted(by: { $0.key < $1.key }) where !read.contains(rule) {
            read.insert(rule)
            let section = try Section(value, path: name(rule))
            var parameters: [String: RuleSettings.Value] = [:]
            for (parameter, value) in section.values.sorted(by: { $0.key < $1.key }) {
                guard let converted = Self.ruleValue(value) else {
                    throw ConfigurationError("\(name(rule)).\(parameter): must be a number, true/false, a string or a list")
                }
                parameters[parameter] = converted
            }
            settings[rule] = RuleSettings(rule: rule, values: parameters)
        }
        return settings
    }

    private static func ruleValue(_ value: Any) -> RuleSettings.Value? {
        switch value {
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .number(Double(number))
        case let number as Double: return .number(number)
        case let text as String: return .string(text)
        case let list as [Any]:
            let elements = list.compactMap(ruleValue)
            return elements.count == list.count ? .list(elements) : nil
        default: return nil
        }
    }

    func finish() throws(ConfigurationError) {
        if let unknown = values.keys.sorted().first(where: { !read.contains($0) }) {
            throw ConfigurationError("\(name(unknown)): unknown key")
        }
    }
}
