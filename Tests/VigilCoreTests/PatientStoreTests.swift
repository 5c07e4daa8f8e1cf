import Testing
@testable import VigilCore

@Suite("Patient store")
struct PatientStoreTests {
    @Test("a restore reserves room for its records' patients, but not for every record of an uncompacted changelog")
    func restoreReservationIsBounded() {
        var small = PatientStore()
        small.reserveCapacity(forRecords: 1_000)
        #expect(small.patients.capacity >= 1_000)

        var large = PatientStore()
        large.reserveCapacity(forRecords: 50_000_000)
        #expect(large.patients.capacity >= PatientStore.restoreReservationLimit)
        #expect(large.patients.capacity < 2 * PatientStore.restoreReservationLimit + 1)
    }

    @Test("a patient's state is read and changed in place; a patient not held is not created")
    func existingState() {
        var store = PatientStore()
        #expect(store.withExistingState(of: "P-1") { _ in true } == nil)
        #expect(store.count == 0)
        store.withState(of: "P-1") { $0.partition = 3 }
        #expect(store.withExistingState(of: "P-1") { state -> Int32? in
            state.partition = 4
            return state.partition
        } == 4)
        #expect(store["P-1"]?.partition == 4)
    }
}
