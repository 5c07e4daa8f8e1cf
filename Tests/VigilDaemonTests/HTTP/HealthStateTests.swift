import Foundation
import Testing
@testable import VigilDaemon

@Suite("HealthState")
struct HealthStateTests {
    @Test("a fresh state fails brokers, group, rules and state, but not publishing")
    func fresh() {
        let health = HealthState()
        #expect(health.snapshot.notReady == ["brokers", "group", "rules", "state"])
        #expect(health.snapshot.publishing)
        #expect(health.snapshot.partitions == [])
    }

    @Test("notReady lists the failing checks in a fixed order")
    func failingChecks() {
        var snapshot = HealthState.Snapshot()
        snapshot.brokersConnected = true
        snapshot.stateReady = true
        snapshot.publishing = false
        #expect(snapshot.notReady == ["group", "rules", "publishing"])
        snapshot.inGroup = true
        snapshot.rulesLoaded = true
        snapshot.publishing = true
        #expect(snapshot.notReady == [])
    }

    @Test("live while the loop beats within the tolerance, stalled after it")
    func liveness() {
        let health = HealthState()
        let beat = Date(timeIntervalSince1970: 1_800_000_000)
        health.loopBeat(now: beat)
        #expect(health.isLive(now: beat.addingTimeInterval(29), tolerance: 30))
        #expect(!health.isLive(now: beat.addingTimeInterval(30), tolerance: 30))
        #expect(!health.isLive(now: beat.addingTimeInterval(31), tolerance: 30))
        health.loopBeat(now: beat.addingTimeInterval(31))
        #expect(health.isLive(now: beat.addingTimeInterval(31), tolerance: 30))
    }
}

@Suite("HealthState with several processing threads")
struct CombinedHealthStateTests {
    static func readyDaemon(loops: [HealthState]) -> HealthState {
        let health = HealthState(loops: loops)
        health.update { $0.brokersConnected = true; $0.rulesLoaded = true; $0.stateReady = true }
        return health
    }

    static func readyLoop(_ partitions: [Int32]) -> HealthState {
        let loop = HealthState()
        loop.update { snapshot in
            snapshot.inGroup = true
            snapshot.stateReady = true
            snapshot.partitions = partitions.map { .init(topic: "patient.cravings", partition: $0, lag: Int64($0)) }
        }
        return loop
    }

    @Test("ready only when every thread is in the group with its state ready and publishing")
    func readiness() {
        let first = Self.readyLoop([0, 2])
        let second = Self.readyLoop([1])
        let health = Self.readyDaemon(loops: [first, second])
        #expect(health.snapshot.notReady == [])
        second.update { $0.stateReady = false; $0.restore = .init(restoring: true, partitions: 1, recordsRead: 5, recordsTotal: 9) }
        #expect(health.snapshot.notReady == ["state"])
        #expect(health.snapshot.restore.restoring)
        #expect(health.snapshot.restore.recordsTotal == 9)
        second.update { $0.stateReady = true; $0.restore.restoring = false; $0.inGroup = false; $0.publishing = false }
        #expect(health.snapshot.notReady == ["group", "publishing"])
        // The daemon's own checks still count.
        second.update { $0.inGroup = true; $0.publishing = true }
        health.update { $0.brokersConnected = false }
        #expect(health.snapshot.notReady == ["brokers"])
    }

    @Test("status lists every thread's partitions in order, restore counts summed")
    func partitionsAndRestore() {
        let first = Self.readyLoop([2, 0])
        let second = Self.readyLoop([1])
        first.update { $0.restore = .init(partitions: 2, recordsRead: 10, recordsTotal: 10, patients: 4, lastSeconds: 0.5) }
        second.update { $0.restore = .init(partitions: 1, recordsRead: 3, recordsTotal: 3, patients: 2, lastSeconds: 0.25) }
        let snapshot = Self.readyDaemon(loops: [first, second]).snapshot
        #expect(snapshot.partitions.map(\.partition) == [0, 1, 2])
        #expect(snapshot.partitions.map(\.lag) == [0, 1, 2])
        #expect(snapshot.restore == .init(restoring: false, partitions: 3, recordsRead: 13, recordsTotal: 13, patients: 6, lastSeconds: 0.5))
    }

    @Test("live only while every thread beats")
    func liveness() {
        let first = HealthState()
        let second = HealthState()
        let health = HealthState(loops: [first, second])
        let beat = Date(timeIntervalSince1970: 1_800_000_000)
        first.loopBeat(now: beat.addingTimeInterval(40))
        second.loopBeat(now: beat)
        #expect(!health.isLive(now: beat.addingTimeInterval(41), tolerance: 30))
        second.loopBeat(now: beat.addingTimeInterval(40))
        #expect(health.isLive(now: beat.addingTimeInterval(41), tolerance: 30))
    }
}
