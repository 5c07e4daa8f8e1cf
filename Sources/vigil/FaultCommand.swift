import VigilDaemon

/// One line of `vigil dev-broker --fault-commands`, applied to the broker; the answer for stdout.
enum FaultCommand {
    static func apply(_ line: String, to broker: EmbeddedBroker) -> String {
        let words = line.split(separator: " ").map(String.init)
        switch (words.first, words.count) {
        case ("down", 1): broker.setAvailable(false)
        case ("up", 1): broker.setAvailable(true)
        case ("unavailable", 2), ("available", 2):
            guard broker.setTopicAvailable(words[1], words[0] == "available") else { return "error: no topic \(words[1])" }
        case ("fail-produce", 2):
            guard let count = Int(words[1]), count > 0 else { return "error: fail-produce takes a positive count" }
            broker.failProduceRequests(count: count)
        default:
            return "error: unknown command; use down, up, unavailable TOPIC, available TOPIC or fail-produce N"
        }
        return "ok \(line)"
    }
}
