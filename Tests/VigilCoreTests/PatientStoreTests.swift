import Testing
@testable import VigilCore

@Suite("Patient store")
struct PatientStoreTests {
    @Test("a restore reserves room for its records' patients, but not for every record of an uncompacted changelog")
    func restoreReservationIsBounded() {
        var small = PatientStore()
        small.reserveCapacity(forRecords: 1_000)
        #expect(small.capacity >= 1_000)

        var large = PatientStore()
        large.reserveCapacity(forRecords: 50_000_000)
        #expect(large.capacity >= PatientStore.restoreReservationLimit)
        #expect(large.capacity < 2 * PatientStore.restoreReservationLimit + 1)
    }

    @Test("a patient's state is read and changed in place; a patient not held is not created")
    func existingState() throws {
        var store = PatientStore()
        #expect(store.slot(of: "P-1") == nil && store["P-1"] == nil)
        #expect(store.count == 0)
        store.withState(of: "P-1") { $0.partition = 3 }
        let slot = try #require(store.slot(of: "P-1"))
        #expect(store.withState(in: slot) { state -> Int32? in
            state.partition = 4
            return state.partition
        } == 4)
        #expect(store["P-1"]?.partition == 4)
    }

    @Test("a patient keeps its slot while held; a removed patient's slot keeps its id until released, then takes a new patient")
    func slotsAreReusedOnlyAfterRelease() throws {
        var store = PatientStore()
        let first = store.slot(for: "P-1")
        let second = store.slot(for: "P-2")
        #expect(first != second)
        #expect(store.slot(for: "P-1") == first)
        #expect(store.slot(of: "P-3") == nil && store.count == 2)

        store.withState(in: first) { $0.partition = 7 }
        store.remove(first)
        #expect(store.count == 1 && !store.holds(first) && store.slot(of: "P-1") == nil)
        // A checkpoint sealed now still names the patient in its tombstone.
        #expect(store.patientId(of: first) == "P-1")
        // A new patient does not take a slot that is not released yet.
        let third = store.slot(for: "P-3")
        #expect(third != first)

        store.releaseRemovedSlots()
        let fourth = store.slot(for: "P-4")
        #expect(fourth == first, "the released slot is reused")
        #expect(store.patientId(of: fourth) == "P-4")
        let reused = try #require(store.state(in: fourth))
        #expect(reused.partition == nil, "a reused slot starts with a fresh state")
        #expect(store.count == 3)
    }

    @Test("a patient removed and seen again before the release takes its own slot back, so an id never has two slots")
    func removedPatientReturnsToItsSlot() {
        var store = PatientStore()
        let slot = store.slot(for: "P-1")
        store.withState(in: slot) { $0.partition = 2 }
        store.remove(slot)
        #expect(store.count == 0)
        #expect(store.slot(for: "P-1") == slot)
        #expect(store.count == 1, "held again before the release")
        #expect(store.state(in: slot)?.partition == nil, "its old state was dropped")
        store.releaseRemovedSlots()
        #expect(store.slot(of: "P-1") == slot, "a revived slot is not released")
        #expect(store.count == 1)
    }

    @Test("forEach visits the patients held; drop(partitions:) removes a partition's patients")
    func partitionsAndDrop() {
        var store = PatientStore()
        for (index, partition) in [0, 1, 1, 2].enumerated() { store.withState(of: "P-\(index)") { $0.partition = Int32(partition) } }
        #expect(store.partitions == [0, 1, 2])
        let dropped = store.drop(partitions: [1])
        #expect(dropped.map { store.patientId(of: $0) }.sorted() == ["P-1", "P-2"])
        var held: [String] = []
        store.forEach { _, patientId, _ in held.append(patientId) }
        #expect(held.sorted() == ["P-0", "P-3"])
        #expect(store.partitions == [0, 2])
        store["P-0"] = nil
        #expect(store["P-0"] == nil && store.count == 1)
    }

    @Test("the states grow as patients arrive, every patient kept in its own slot")
    func statesGrow() {
        var store = PatientStore()
        let slots = (0..<10_000).map { store.slot(for: "P-\($0)") }
        #expect(Set(slots.map(\.index)).count == 10_000)
        #expect(store.count == 10_000 && store.capacity >= 10_000)
        #expect(slots.enumerated().allSatisfy { store.patientId(of: $1) == "P-\($0)" })
    }

    @Test("a patient removed, held again and removed again before a release frees its slot once: two new patients get two slots")
    func removedTwiceReleasedOnce() {
        var store = PatientStore()
        // As a restore of an uncompacted changelog does: value, tombstone, value, tombstone.
        store["P-1"] = PatientState()
        store["P-1"] = nil
        store["P-1"] = PatientState()
        store["P-1"] = nil
        #expect(store.count == 0)
        store.releaseRemovedSlots()
        let first = store.slot(for: "P-2")
        let second = store.slot(for: "P-3")
        #expect(first != second)
        store.withState(in: first) { $0.partition = 2 }
        #expect(store.state(in: second)?.partition == nil)
        #expect(store.count == 2 && store.slot(of: "P-2") == first && store.slot(of: "P-3") == second)
    }
}
