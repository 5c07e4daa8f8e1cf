import Foundation
import Testing
import VigilCore
import VigilKafka
@testable import VigilDaemon

@Suite("Checkpoints: state written once per checkpoint, offsets committed after acknowledgement")
struct CheckpointerTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let cravings0 = TopicPartition(topic: "patient.cravings", partition: 0)
    let cravings1 = TopicPartition(topic: "patient.cravings", partition: 1)

    func seal(_ checkpoints: inout Checkpointer, at second: Double, heldAt: [TopicPartition: Int64] = [:]) {
        checkpoints.seal(
            now: start.addingTimeInterval(second),
            commitOffset: { partition, position in heldAt[partition].map { min($0, position) } ?? position },
            encode: { slot in
                let patientId = Self.patientId(of: slot)
                return (patientId, patientId == "gone" ? nil : Array("state of \(patientId)".utf8))
            })
    }

    /// Slot 0 is the patient "gone" (dropped: a tombstone), slot n the patient "P-n".
    static func slot(_ patientId: String) -> PatientSlot {
        PatientSlot(patientId == "gone" ? 0 : Int32(patientId.dropFirst(2))!)
    }

    static func patientId(of slot: PatientSlot) -> String { slot.index == 0 ? "gone" : "P-\(slot.index)" }

    @Test("a patient changed by many events is written once, then the offsets are committed")
    func oneWritePerPatient() {
        var checkpoints = Checkpointer(now: start)
        for offset in 0..<5 as Range<Int64> {
            checkpoints.handled(cravings0, offset: offset)
            checkpoints.changed(Self.slot("P-1"), partition: 0)
        }
        checkpoints.handled(cravings1, offset: 41)
        checkpoints.changed(Self.slot("P-2"), partition: 1)
        seal(&checkpoints, at: 1)
        guard case .writeState(let id, let writes) = checkpoints.nextStep() else { Issue.record("expected state writes"); return }
        #expect(Set(writes.map(\.patientId)) == ["P-1", "P-2"])
        #expect(writes.first { $0.patientId == "P-2" }?.partition == 1)
        #expect(checkpoints.nextStep() == nil, "offsets committed before the state writes were acknowledged")
        checkpoints.acknowledged(id)
        #expect(checkpoints.nextStep() == nil)
        checkpoints.acknowledged(id)
        #expect(checkpoints.nextStep() == .commit([cravings0: 5, cravings1: 42]))
        #expect(checkpoints.nextStep() == nil)
        #expect(checkpoints.isIdle)
    }

    @Test("state is written only after the checkpoint's alerts are acknowledged")
    func alertsFirst() {
        var checkpoints = Checkpointer(now: start)
        checkpoints.handled(cravings0, offset: 7)
        let alert = checkpoints.outputSent()
        checkpoints.changed(Self.slot("P-1"), partition: 0)
        seal(&checkpoints, at: 1)
        #expect(checkpoints.nextStep() == nil, "state written while an alert could still be lost")
        checkpoints.acknowledged(alert)
        guard case .writeState(let id, _) = checkpoints.nextStep() else { Issue.record("expected state writes"); return }
        checkpoints.acknowledged(id)
        #expect(checkpoints.nextStep() == .commit([cravings0: 8]))
    }

    @Test("checkpoints complete in order; a later one's alerts do not hold an earlier one back")
    func inOrder() {
        var checkpoints = Checkpointer(now: start)
        checkpoints.handled(cravings0, offset: 1)
        let first = checkpoints.outputSent()
        seal(&checkpoints, at: 1)
        checkpoints.handled(cravings0, offset: 2)
        let second = checkpoints.outputSent()
        seal(&checkpoints, at: 2)
        checkpoints.acknowledged(second)
        #expect(checkpoints.nextStep() == nil, "a later checkpoint committed past an earlier unacknowledged alert")
        checkpoints.acknowledged(first)
        // Both complete: one commit covers them.
        #expect(checkpoints.nextStep() == .commit([cravings0: 3]))
        #expect(first != second)
    }

    @Test("a dropped patient is written as a tombstone; a position can be held back")
    func tombstoneAndHeldPosition() {
        var checkpoints = Checkpointer(now: start)
        checkpoints.handled(cravings0, offset: 9)
        checkpoints.changed(Self.slot("gone"), partition: 0)
        seal(&checkpoints, at: 1, heldAt: [cravings0: 4])
        guard case .writeState(let id, let writes) = checkpoints.nextStep() else { Issue.record("expected state writes"); return }
        #expect(writes == [.init(patientId: "gone", partition: 0, value: nil)])
        checkpoints.acknowledged(id)
        #expect(checkpoints.nextStep() == .commit([cravings0: 4]))
        // Once what held it back is handled, the next checkpoint commits the rest of the way.
        seal(&checkpoints, at: 2)
        #expect(checkpoints.nextStep() == .commit([cravings0: 10]))
    }

    @Test("due after the interval or past the dirty-bytes bound, never when nothing happened")
    func due() {
        var checkpoints = Checkpointer(now: start)
        #expect(!checkpoints.isDue(now: start.addingTimeInterval(5), interval: 1, maxDirtyBytes: 1_000))
        checkpoints.changed(Self.slot("P-1"), partition: 0)
        #expect(!checkpoints.isDue(now: start.addingTimeInterval(0.5), interval: 1, maxDirtyBytes: 1_000))
        #expect(checkpoints.isDue(now: start.addingTimeInterval(1), interval: 1, maxDirtyBytes: 1_000))
        for index in 0..<20 { checkpoints.changed(Self.slot("P-\(index)"), partition: 0) }
        #expect(checkpoints.isDue(now: start, interval: 1, maxDirtyBytes: 1_000))
    }

    @Test("reset forgets everything; late acknowledgements are ignored")
    func reset() {
        var checkpoints = Checkpointer(now: start)
        checkpoints.handled(cravings0, offset: 1)
        let alert = checkpoints.outputSent()
        seal(&checkpoints, at: 1)
        checkpoints.changed(Self.slot("P-1"), partition: 0)
        checkpoints.reset(now: start)
        checkpoints.acknowledged(alert)
        #expect(checkpoints.nextStep() == nil)
        #expect(checkpoints.isIdle)
        // The patient's dirty mark went with the reset: changed again, it is written again.
        checkpoints.changed(Self.slot("P-1"), partition: 0)
        seal(&checkpoints, at: 2)
        guard case .writeState(_, let writes) = checkpoints.nextStep() else { Issue.record("expected state writes"); return }
        #expect(writes.map(\.patientId) == ["P-1"])
    }

    @Test("exactly-once takes every sealed checkpoint at once")
    func takeAllSealed() {
        var checkpoints = Checkpointer(now: start)
        checkpoints.handled(cravings0, offset: 1)
        checkpoints.changed(Self.slot("P-1"), partition: 0)
        _ = checkpoints.outputSent()
        seal(&checkpoints, at: 1)
        checkpoints.handled(cravings0, offset: 2)
        checkpoints.changed(Self.slot("P-1"), partition: 0)
        seal(&checkpoints, at: 2)
        let (writes, offsets) = checkpoints.takeAllSealed()
        #expect(writes.count == 2)
        #expect(offsets == [cravings0: 3])
        #expect(checkpoints.sealedCount == 0)
    }
}
