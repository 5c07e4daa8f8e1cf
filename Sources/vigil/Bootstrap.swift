import Foundation
import Logging
import Metrics
import Prometheus
import VigilDaemon

/// Process-wide set-up, done once by each command before anything logs or counts.
enum Bootstrap {
    static func logging(level: String) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: level) ?? .info
            return handler
        }
    }

    /// A Prometheus registry behind swift-metrics, so that library metrics land on `/metrics` too.
    static func metrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// Prints the error for the operator and turns it into the contract's exit status.
    static func exit(for error: any Error) -> Int32 {
        switch error {
        case let error as DaemonError where error.code == .interrupted:
            FileHandle.standardError.write(Data("vigil: \(error.message)\n".utf8))
            return 0
        case let error as DaemonError:
            FileHandle.standardError.write(Data("vigil: \(error.message)\n".utf8))
            return error.exitCode
        case let error as ConfigurationError:
            FileHandle.standardError.write(Data("vigil: \(error.message)\n".utf8))
            return 64
        default:
            FileHandle.standardError.write(Data("vigil: internal error: \(error)\n".utf8))
            return 70
        }
    }
}
