import Foundation
import Synchronization

/// The processing loops of one benchmarked pipeline (`--processing-threads`), one member of the group each, run and
/// watched together as `vigil run` runs them.
final class PipelineThreads: LivePipeline, @unchecked Sendable {
    // @unchecked Sendable: `loops` never changes after init; each loop is itself safe to watch and stop from any thread.
    let loops: [ProcessingLoop]
    private let firstFailure = Mutex<(any Error)?>(nil)

    init(_ loops: [ProcessingLoop]) {
        precondition(!loops.isEmpty, "a pipeline has at least one loop")
        self.loops = loops
    }

    var isInGroup: Bool { loops.allSatisfy(\.isInGroup) }
    var messagesTaken: Int { loops.reduce(0) { $0 + $1.messagesTaken.load(ordering: .relaxed) } }
    var isCaughtUpAndIdle: Bool { loops.allSatisfy { $0.isCaughtUpAndIdle.load(ordering: .acquiring) } }

    func requestStop() { for loop in loops { loop.requestStop() } }
    func simulateCrash() { for loop in loops { loop.simulateCrash() } }

    /// Runs every loop, the first on the calling thread and the others on threads of their own, until all have
    /// returned; a loop's failure stops the others and is rethrown.
    func run() throws {
        let finished = DispatchGroup()
        for (index, loop) in loops.enumerated().dropFirst() {
            finished.enter()
            let thread = Thread { [self] in
                defer { finished.leave() }
                do { try loop.run() } catch { fail(error) }
            }
            thread.name = "vigil-bench-pipeline-\(index + 1)"
            thread.start()
        }
        do { try loops[0].run() } catch { fail(error) }
        finished.wait()
        if let error = firstFailure.withLock({ $0 }) { throw error }
    }

    private func fail(_ error: any Error) {
        firstFailure.withLock { $0 = $0 ?? error }
        requestStop()
    }
}
