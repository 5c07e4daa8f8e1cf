import Foundation
import Synchronization
import Testing
@testable import VigilDaemon

@Suite("ProcessingService: several processing threads")
struct ProcessingServiceTests {
    struct Failed: Error, Equatable {}

    /// Runs until stopped, or fails at once.
    final class FakeLoop: StoppableLoop {
        let fails: Bool
        let stopped = Atomic<Bool>(false)
        let ran = Atomic<Bool>(false)

        init(fails: Bool) { self.fails = fails }

        func run() throws {
            ran.store(true, ordering: .releasing)
            if fails { throw Failed() }
            // Bounded, so that a broken service fails the test instead of hanging it.
            let deadline = Date().addingTimeInterval(60)
            while !stopped.load(ordering: .acquiring), Date() < deadline { usleep(1_000) }
        }

        func requestStop() { stopped.store(true, ordering: .releasing) }
    }

    @Test("one loop failing stops the others, and its failure is thrown once they all ended")
    func failureStopsTheOthers() async {
        let healthy = [FakeLoop(fails: false), FakeLoop(fails: false)]
        let failing = FakeLoop(fails: true)
        let stopsRequested = Atomic<Int>(0)
        await #expect(throws: Failed.self) {
            try await ProcessingService.runAll(healthy + [failing]) {
                stopsRequested.add(1, ordering: .relaxed)
                for loop in healthy + [failing] { loop.requestStop() }
            }
        }
        #expect(stopsRequested.load(ordering: .relaxed) == 1)
        #expect(healthy.allSatisfy { $0.ran.load(ordering: .acquiring) && $0.stopped.load(ordering: .acquiring) })
    }

    @Test("loops that stop cleanly end the run without an error")
    func cleanStop() async throws {
        let loops = [FakeLoop(fails: false), FakeLoop(fails: false)]
        // Asked to stop before they start: each runs and returns at once.
        for loop in loops { loop.requestStop() }
        try await ProcessingService.runAll(loops) { Issue.record("no loop failed") }
        #expect(loops.allSatisfy { $0.ran.load(ordering: .acquiring) })
    }
}
