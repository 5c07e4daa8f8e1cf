import Foundation

/// Runs blocking work (librdkafka polls, flushes, metadata round trips) on a thread of its own, so that it never
/// occupies a thread of Swift's cooperative pool.
enum DedicatedThread {
    static func run<Value: Sendable>(name: String, _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try work())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = name
            thread.start()
        }
    }
}
