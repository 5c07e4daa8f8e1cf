import Foundation
import Synchronization

/// What `/health/ready` and `/status` report, written by the services and read by the HTTP handlers.
/// Holds no patient data.
///
/// With several processing threads, each loop reports into a health state of its own (`loops`), and this one
/// combines them with what the daemon reports (brokers, rules).
public final class HealthState: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var brokersConnected = false
        public var inGroup = false
        public var rulesLoaded = false
        public var stateReady = false
        /// False while a produce that librdkafka gave up on is being retried: nothing is committed past it.
        public var publishing = true
        public var partitions: [PartitionStatus] = []
        public var restore = RestoreStatus()

        /// The names of the checks that fail, empty when ready.
        public var notReady: [String] {
            var failing: [String] = []
            if !brokersConnected { failing.append("brokers") }
            if !inGroup { failing.append("group") }
            if !rulesLoaded { failing.append("rules") }
            if !stateReady { failing.append("state") }
            if !publishing { failing.append("publishing") }
            return failing
        }
    }

    /// Progress of restoring patient state from the changelog (counts only, no patient data).
    public struct RestoreStatus: Sendable, Equatable {
        public var restoring = false
        /// Partitions being (or last) restored.
        public var partitions = 0
        public var recordsRead: Int64 = 0
        public var recordsTotal: Int64 = 0
        /// Patients held for the restored partitions, once done.
        public var patients = 0
        public var lastSeconds: Double?
    }

    public struct PartitionStatus: Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        public var lag: Int64?
    }

    private let state = Mutex(Snapshot())
    public let startedAt = Date()
    private let lastLoopBeat = Atomic<Int64>(Int64(Date().timeIntervalSince1970))
    /// The processing threads' own health states; empty when the loop reports into this one.
    public let loops: [HealthState]

    public init(loops: [HealthState] = []) {
        self.loops = loops
    }

    public var snapshot: Snapshot {
        let own = state.withLock { $0 }
        return loops.isEmpty ? own : Self.combine(own, loops.map(\.snapshot))
    }

    /// The daemon's own checks with the loops': ready when every loop is, every assigned partition listed.
    static func combine(_ own: Snapshot, _ loops: [Snapshot]) -> Snapshot {
        var combined = own
        combined.inGroup = loops.allSatisfy(\.inGroup)
        combined.stateReady = own.stateReady && loops.allSatisfy(\.stateReady)
        combined.publishing = own.publishing && loops.allSatisfy(\.publishing)
        combined.partitions = loops.flatMap(\.partitions).sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        combined.restore = RestoreStatus(
            restoring: loops.contains(where: \.restore.restoring),
            partitions: loops.reduce(0) { $0 + $1.restore.partitions },
            recordsRead: loops.reduce(0) { $0 + $1.restore.recordsRead },
            recordsTotal: loops.reduce(0) { $0 + $1.restore.recordsTotal },
            patients: loops.reduce(0) { $0 + $1.restore.patients },
            lastSeconds: loops.compactMap(\.restore.lastSeconds).max())
        return combined
    }

    public func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }

    /// The processing loop reports in at least once a second while it runs.
    public func loopBeat(now: Date = Date()) {
        lastLoopBeat.store(Int64(now.timeIntervalSince1970), ordering: .relaxed)
    }

    /// Live: the processing loop (every one of them) reported in recently (it polls at least every 100 ms when
    /// idle).
    public func isLive(now: Date = Date(), tolerance: TimeInterval = 30) -> Bool {
        guard loops.isEmpty else { return loops.allSatisfy { $0.isLive(now: now, tolerance: tolerance) } }
        return now.timeIntervalSince1970 - Double(lastLoopBeat.load(ordering: .relaxed)) < tolerance
    }
}
