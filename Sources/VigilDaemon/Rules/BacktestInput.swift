import Foundation
import Logging
import VigilCore
import VigilKafka

/// Where a backtest's events come from: an NDJSON file of structured-mode CloudEvents, or the input topics of a
/// broker, read outside any consumer group (never committing). Every event goes through the production decoder;
/// what it refuses is counted, not replayed.
public enum BacktestInput {
    public struct Events: Sendable {
        public var events: [PatientEvent] = []
        public var invalid = 0
    }

    /// One CloudEvent a line; blank lines are skipped. The Kafka key is taken to be `data.patientId`, as producers
    /// key events.
    public static func events(ndjsonFile path: String, from: Date?, to: Date?) throws(ConfigurationError) -> Events {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigurationError("cannot read the events file \(path)") }
        let decoder = EventDecoder()
        let now = Date()
        var result = Events()
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
            let bytes = Array(line)
            let key = (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
                .flatMap { $0["data"] as? [String: Any] }.flatMap { $0["patientId"] as? String } ?? ""
            switch decoder.decode(BufferedMessage(key: Array(key.utf8), value: bytes), now: now) {
            case .success(let event): result.append(event, from: from, to: to)
            case .failure: result.invalid += 1
            }
        }
        return result
    }

    /// Every message of `topics` up to their ends when the read starts, in event-time order.
    public static func events(brokers: String, topics: [String], from: Date?, to: Date?, kafkaProperties: [String: String], logger: Logger) throws(ConfigurationError) -> Events {
        var result = Events()
        do {
            let reader = try KafkaChangelogReader(properties: kafkaProperties.merging(["bootstrap.servers": brokers]) { $1 }, logger: logger)
            let decoder = EventDecoder()
            let now = Date()
            for topic in topics {
                guard let partitions = try reader.partitionCount(topic: topic, timeout: .seconds(30)) else {
                    throw ConfigurationError("topic \(topic) does not exist on \(brokers)")
                }
                try reader.read(topic: topic, partitions: (0..<Int32(partitions)).map { $0 }, timeout: .seconds(600)) { message in
                    switch decoder.decode(message, now: now) {
                    case .success(let event): result.append(event, from: from, to: to)
                    case .failure: result.invalid += 1
                    }
                }
            }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("reading the input topics from \(brokers): \(error)")
        }
        // Topics and partitions were read one after another: replay in event time, as the merge would.
        result.events = result.events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        return result
    }
}

extension BacktestInput.Events {
    mutating func append(_ event: PatientEvent, from: Date?, to: Date?) {
        if let from, event.time < from { return }
        if let to, event.time > to { return }
        events.append(event)
    }
}
