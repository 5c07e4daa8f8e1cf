import Testing
import VigilKafka
@testable import VigilDaemon

@Suite("State changelog: when a patient's state may be written")
struct StateChangelogTests {
    let p3 = TopicPartition(topic: "patient.checkins", partition: 3)

    @Test("a write waits for the patient's alerts in flight, and for its previous write, so an older snapshot never lands last")
    func writesWaitForOutputsInFlight() {
        var tracker = OffsetTracker()
        var changelog = StateChangelog()
        let entry = tracker.begin(p3, offset: 0, receivedAt: 0)
        let alert = tracker.newOutput()
        changelog.outputSent(alert, patientId: "P")
        changelog.changed("P", partition: 3, entry: entry, tracker: &tracker)
        #expect(changelog.takeReady().isEmpty, "written while its alert was in flight")
        changelog.outputSettled(alert)
        let first = changelog.takeReady()
        #expect(first.map(\.patientId) == ["P"])
        #expect(first.map(\.partition) == [3])
        changelog.outputSent(first[0].token, patientId: "P")

        changelog.changed("P", partition: 3, entry: nil, tracker: &tracker)
        #expect(changelog.takeReady().isEmpty, "a second write went out while the first was unacknowledged")
        changelog.outputSettled(first[0].token)
        #expect(changelog.takeReady().map(\.patientId) == ["P"])
    }

    @Test("a write holds back the first message of the patient in each partition, until it is delivered")
    func holdsBackOffsets() {
        var tracker = OffsetTracker()
        var changelog = StateChangelog()
        let cravings = TopicPartition(topic: "patient.cravings", partition: 3)
        for (partition, offset) in [(p3, Int64(0)), (cravings, 0), (p3, 1)] {
            let entry = tracker.begin(partition, offset: offset, receivedAt: 0)
            changelog.changed("P", partition: 3, entry: entry, tracker: &tracker)
            tracker.finish(entry) { _ in }
        }
        #expect(tracker.takeStorable().isEmpty)
        let write = changelog.takeReady()
        #expect(write.count == 1)
        tracker.delivered(write[0].token) { _ in }
        #expect(Dictionary(tracker.takeStorable(), uniquingKeysWith: max) == [p3: 2, cravings: 1])
    }

    @Test("in a transaction every pending write goes, alerts in flight or not; dropped partitions give their tokens back")
    func allAndDrop() {
        var tracker = OffsetTracker()
        var changelog = StateChangelog()
        changelog.outputSent(tracker.newOutput(), patientId: "P")
        changelog.changed("P", partition: 3, entry: nil, tracker: &tracker)
        changelog.changed("Q", partition: 4, entry: nil, tracker: &tracker)
        let dropped = changelog.drop(partitions: [4])
        #expect(dropped.count == 1)
        #expect(changelog.takeReady(all: true).map(\.patientId) == ["P"])
        #expect(changelog.pendingCount == 0)
    }
}
