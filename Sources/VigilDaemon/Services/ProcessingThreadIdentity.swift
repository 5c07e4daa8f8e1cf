import Foundation
import VigilConfig

/// The ids one processing thread joins its group and its transactions with. The first thread keeps the instance's
/// own (so one thread behaves as before); the others append `_thread-N`, stable across restarts (static membership,
/// fencing a zombie transaction). `_` never appears in a host name, so a thread's id cannot be another host's.
struct ProcessingThreadIdentity: Equatable {
    static let separator = "_thread-"

    var groupInstanceId: String?
    var transactionalId: String

    static func suffix(index: Int) -> String {
        index == 0 ? "" : "\(separator)\(index + 1)"
    }
}

extension ProcessingThreadIdentity {
    /// Thread `index` (0-based) of an instance configured as `configuration`, on host `hostName`.
    init(index: Int, configuration: VigilConfiguration, hostName: String = ProcessInfo.processInfo.hostName) {
        let suffix = Self.suffix(index: index)
        groupInstanceId = configuration.effectiveGroupInstanceId(hostName: hostName).map { $0 + suffix }
        transactionalId = (configuration.processing.transactionalId ?? "\(configuration.kafka.groupId)-\(hostName)") + suffix
    }
}
