import Foundation
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Timer index: patients by due time")
struct TimerIndexTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ second: Double) -> Date { start.addingTimeInterval(second) }

    @Test("fires each due timer once, in due order, and nothing before it is due")
    func firesOnceInOrder() {
        var index = TimerIndex<[String: Date]>()
        index.schedule("c", at: at(30))
        index.schedule("a", at: at(10))
        index.schedule("b", at: at(20))
        index.schedule("d", at: at(40))
        #expect(index.popDue(upTo: at(5)).isEmpty)
        #expect(index.nextDue() == at(10))
        #expect(index.popDue(upTo: at(30)) == ["a", "b", "c"])
        #expect(index.popDue(upTo: at(30)).isEmpty, "a timer fired twice")
        #expect(index.popDue(upTo: at(100)) == ["d"])
        #expect(index.count == 0)
    }

    @Test("rescheduling replaces the earlier due time; cancelling removes it")
    func rescheduleAndCancel() {
        var index = TimerIndex<[String: Date]>()
        index.schedule("a", at: at(10))
        index.schedule("a", at: at(50))
        index.schedule("b", at: at(20))
        index.schedule("b", at: nil)
        #expect(index.popDue(upTo: at(30)).isEmpty)
        #expect(index.due(of: "a") == at(50))
        #expect(index.popDue(upTo: at(50)) == ["a"])
    }

    @Test("many reschedules keep the heap bounded and the order right")
    func manyReschedules() {
        var index = TimerIndex<[String: Date]>()
        for round in 0..<50 {
            for patient in 0..<100 { index.schedule("P-\(patient)", at: at(Double(round * 1000 + (patient * 7) % 100))) }
        }
        #expect(index.count == 100)
        let fired = index.popDue(upTo: at(1_000_000))
        #expect(fired.count == 100)
        let dues = fired.map { Int($0.dropFirst(2))! * 7 % 100 }
        #expect(dues == dues.sorted())
    }

    @Test("equal due times come out in key order")
    func ties() {
        var index = TimerIndex<[String: Date]>()
        for key in ["c", "a", "b"] { index.schedule(key, at: at(1)) }
        #expect(index.popDue(upTo: at(1)) == ["a", "b", "c"])
    }

    @Test("an index of slots kept in an array fires, reschedules, cancels and rebuilds as the dictionary one does")
    func slotTableMatchesDictionary() {
        var bySlot = TimerIndex<SlotDueTable>()
        var byDictionary = TimerIndex<[PatientSlot: Date]>()
        var generator = SplitMix64(seed: 11)
        for step in 0..<5_000 {
            let slot = PatientSlot(Int32(generator.next() % 300))
            let due: Date? = generator.next() % 10 == 0 ? nil : at(Double(step / 10 + Int(generator.next() % 500)))
            bySlot.schedule(slot, at: due)
            byDictionary.schedule(slot, at: due)
            #expect(bySlot.due(of: slot) == byDictionary.due(of: slot))
            if step % 500 == 499 {
                let now = at(Double(step / 10))
                #expect(bySlot.popDue(upTo: now) == byDictionary.popDue(upTo: now))
                #expect(bySlot.count == byDictionary.count)
            }
        }
        #expect(bySlot.popDue(upTo: at(1_000_000)) == byDictionary.popDue(upTo: at(1_000_000)))
        #expect(bySlot.count == 0 && bySlot.nextDue() == nil)
    }
}
