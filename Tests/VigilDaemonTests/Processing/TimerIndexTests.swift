import Foundation
import Testing
@testable import VigilDaemon

@Suite("Timer index: patients by due time")
struct TimerIndexTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ second: Double) -> Date { start.addingTimeInterval(second) }

    @Test("fires each due timer once, in due order, and nothing before it is due")
    func firesOnceInOrder() {
        var index = TimerIndex<String>()
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
        var index = TimerIndex<String>()
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
        var index = TimerIndex<String>()
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
        var index = TimerIndex<String>()
        for key in ["c", "a", "b"] { index.schedule(key, at: at(1)) }
        #expect(index.popDue(upTo: at(1)) == ["a", "b", "c"])
    }
}
