import Foundation
import Logging
import ServiceLifecycleTestKit
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

    static func service(_ loops: [FakeLoop]) -> ProcessingService {
        ProcessingService(loops: loops, shutdownTimeout: 30, logger: Logger(label: "test"))
    }

    @Test("one loop failing stops the others, and its failure ends the service once they all ended")
    func failureStopsTheOthers() async {
        let healthy = [FakeLoop(fails: false), FakeLoop(fails: false)]
        await #expect(throws: Failed.self) {
            try await Self.service(healthy + [FakeLoop(fails: true)]).run()
        }
        #expect(healthy.allSatisfy { $0.ran.load(ordering: .acquiring) && $0.stopped.load(ordering: .acquiring) })
    }

    @Test("a graceful shutdown stops every loop, and the service ends without an error")
    func gracefulShutdown() async throws {
        let loops = [FakeLoop(fails: false), FakeLoop(fails: false)]
        try await testGracefulShutdown { trigger in
            let running = Task { try await Self.service(loops).run() }
            trigger.triggerGracefulShutdown()
            try await running.value
        }
        #expect(loops.allSatisfy { $0.stopped.load(ordering: .acquiring) })
    }
}
