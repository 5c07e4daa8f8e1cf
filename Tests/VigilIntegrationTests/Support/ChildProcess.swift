import Foundation

/// A process the tests start, with stdout and stderr captured in files so that nothing blocks on a full pipe.
/// Stopped by its process id; a test that forgets is covered by `deinit`.
final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is only started and signalled; Foundation's Process is thread-safe for that.
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL
    /// Lines for the process's stdin, when started with `input: true`.
    private let input: Pipe?

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: Bool = false) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIGIL_") }
        merged.merge(environment) { $1 }
        process.environment = merged
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        self.input = input ? Pipe() : nil
        process.standardInput = self.input ?? FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func writeLine(_ line: String) {
        input?.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit and returns its status; nil if it is still running at the deadline.
    func waitForExit(timeout: TimeInterval) async -> Int32? {
        let exited = await Wait.until(timeout: timeout) { !self.process.isRunning }
        return exited ? process.terminationStatus : nil
    }

    /// Stops it for good: SIGTERM, then SIGKILL if it does not go.
    func stop() async {
        signal(SIGTERM)
        if await waitForExit(timeout: 40) == nil {
            signal(SIGKILL)
            _ = await waitForExit(timeout: 10)
        }
    }
}

enum Wait {
    /// Polls `condition` until it holds or the deadline passes; deadlines are generous because CI machines are slow.
    static func until(timeout: TimeInterval, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}
