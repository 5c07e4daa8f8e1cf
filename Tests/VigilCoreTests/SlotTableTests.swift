import Testing
@testable import VigilCore

@Suite("Slot table: a patient's slot from its id")
struct SlotTableTests {
    @Test("finds what a dictionary finds, through 20,000 random insertions and removals that grow the table")
    func matchesDictionary() {
        var generator = SplitMix64(seed: 7)
        var table = SlotTable()
        var ids: [String] = []
        var reference: [String: Int32] = [:]
        for _ in 0..<20_000 {
            let id = "P-\(generator.next() % 3_000)"
            if generator.next() % 3 == 0 {
                if let slot = reference[id] {
                    let removed = table.remove(slot, ids: ids)
                    let removedAgain = table.remove(slot, ids: ids)
                    #expect(removed && !removedAgain, "removed once")
                }
                reference[id] = nil
            } else if reference[id] == nil {
                ids.append(id)
                table.insert(Int32(ids.count - 1), ids: ids)
                reference[id] = Int32(ids.count - 1)
            }
            #expect(table.slot(of: id, ids: ids) == reference[id])
        }
        #expect(table.count == reference.count)
        for index in 0..<3_000 {
            let id = "P-\(index)"
            #expect(table.slot(of: id, ids: ids) == reference[id])
        }
    }

    @Test("an empty table finds nothing and removes nothing; a reservation keeps what it holds")
    func emptyAndReserved() {
        var table = SlotTable()
        #expect(table.slot(of: "P-1", ids: []) == nil)
        let removed = table.remove(0, ids: ["P-1"])
        #expect(!removed)
        let ids = (0..<100).map { "P-\($0)" }
        for slot in 0..<50 { table.insert(Int32(slot), ids: ids) }
        table.reserveCapacity(10_000, ids: ids)
        #expect((0..<100).map { table.slot(of: ids[$0], ids: ids) } == (0..<100).map { $0 < 50 ? Int32($0) : nil })
    }
}
