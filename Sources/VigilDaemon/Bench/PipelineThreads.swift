import Foundation

/// The processing loops of one benchmarked pipeline (`--processing-threads`), one member of the group each, run and
/// watched together as `vigil run` runs them.
final class PipelineThreads: LivePipeline {
    let loops: [ProcessingLoop]

    init(_ loops: [ProcessingLoop]) {
        precondition(!loops.isEmpty, "a pipeline has at least one loop")
        self.loops = loops
    }

    var isInGroup: Bool { loops.allSatisfy(\.isInGroup) }
    var messagesTaken: Int { loops.reduce(0) { $0 + $1.messagesTaken.load(ordering: .relaxed) } }
    var isCaughtUpAndIdle: Bool { loops.allSatisfy { $0.isCaughtUpAndIdle.load(ordering: .acquiring) } }

    func requestStop() { for loop in loops { loop.requestStop() } }
    func simulateCrash() { for loop in loops { loop.simulateCrash() } }

    /// Runs every loop on a thread of its own until all have returned, as `vigil run` does; a loop's failure stops
    /// the others and is rethrown.
    func run() async throws {
        try await ProcessingService.runAll(loops) { [self] in requestStop() }
    }
}
