import Logging
import Synchronization

/// A swift-log handler that keeps every line, for assertions about what reached the logger.
struct CapturingLogHandler: LogHandler {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Store: Sendable {
        private let lines = Mutex<[Line]>([])

        func append(_ line: Line) {
            lines.withLock { $0.append(line) }
        }

        var all: [Line] {
            lines.withLock { $0 }
        }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info

    func log(event: LogEvent) {
        store.append(
            Line(
                level: event.level,
                message: event.message.description,
                metadata: metadata.merging(event.metadata ?? [:]) { $1 }
            )
        )
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// A logger whose lines land in the returned store.
    static func logger(level: Logger.Level = .info) -> (Logger, Store) {
        let store = Store()
        var logger = Logger(label: "vigil.kafka.tests") { _ in CapturingLogHandler(store: store) }
        logger.logLevel = level
        return (logger, store)
    }
}
