import Foundation

/// A temporary YAML configuration file for `vigil run --config`.
enum ConfigFile {
    /// Short session timeouts, so that a killed member leaves the group quickly (the mock broker holds a rebalance
    /// for the session timeout), checkpoints every `checkpointInterval`, plus `extra` YAML.
    static func write(checkpointInterval: String = "1s", extra: String = "") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).yaml").path
        try """
            kafka:
              properties:
                session.timeout.ms: "6000"
                heartbeat.interval.ms: "1000"
            state:
              checkpointInterval: \(checkpointInterval)
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
