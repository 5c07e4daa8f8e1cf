import Foundation

/// Runs blocking Kafka calls (polls, flushes, commits) on a thread of their own, off Swift's cooperative pool,
/// which has only as many threads as cores (two here) and is shared by the tests running in parallel.
func onThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Swift.Result { try body() })
        }
        thread.start()
    }
}
