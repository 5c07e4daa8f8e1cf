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
