import Foundation
import Testing

/// The independent Kafka client of the tests: every message goes in or comes out through kcat, so a bug shared by
/// Vigil's producer and consumer cannot hide.
struct Kcat {
    let bootstrap: String

    struct Message: Sendable {
        var topic: String
        var partition: Int
        var offset: Int
        var key: String?
        var value: String?
        var headers: [(String, String)]

        func header(_ name: String) -> String? { headers.last(where: { $0.0 == name })?.1 }

        /// The value parsed as a JSON object (alerts).
        var json: [String: Any]? {
            guard let value else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: Any]
        }
    }

    /// Publishes `key<TAB>value` lines, all with the same headers, to `partition` if given (else the key decides).
    /// Values must not contain newlines or tabs.
    func produce(topic: String, partition: Int? = nil, _ messages: [(key: String, value: String)], headers: [(String, String)] = []) throws {
        var arguments = ["-b", bootstrap, "-P", "-t", topic, "-K", "\t", "-X", "enable.idempotence=false"]
        if let partition { arguments += ["-p", String(partition)] }
        for (name, value) in headers { arguments += ["-H", "\(name)=\(value)"] }
        let input = messages.map { "\($0.key)\t\($0.value)\n" }.joined()
        let result = try run(arguments, input: input)
        try #require(result.status == 0, "kcat produce failed: \(result.stderr)")
    }

    /// Messages without a key (kcat without `-K`).
    func produceKeyless(topic: String, _ values: [String], headers: [(String, String)] = []) throws {
        var arguments = ["-b", bootstrap, "-P", "-t", topic, "-X", "enable.idempotence=false"]
        for (name, value) in headers { arguments += ["-H", "\(name)=\(value)"] }
        let result = try run(arguments, input: values.map { $0 + "\n" }.joined())
        try #require(result.status == 0, "kcat produce failed: \(result.stderr)")
    }

    /// Every message of `topic`, from the beginning to the current end.
    func consume(topic: String) throws -> [Message] {
        let result = try run(["-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-J", "-q"], input: nil)
        try #require(result.status == 0, "kcat consume failed: \(result.stderr)")
        return result.stdout.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
            let flat = object["headers"] as? [String] ?? []
            let headers = stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }
            return Message(
                topic: object["topic"] as? String ?? "", partition: object["partition"] as? Int ?? -1,
                offset: object["offset"] as? Int ?? -1, key: object["key"] as? String, value: object["payload"] as? String,
                headers: headers)
        }
    }

    /// Waits until `topic` holds at least `count` messages and returns them.
    func waitForMessages(topic: String, count: Int, timeout: TimeInterval = 60) async throws -> [Message] {
        var messages: [Message] = []
        _ = try await Wait.until(timeout: timeout) {
            messages = try consume(topic: topic)
            return messages.count >= count
        }
        return messages
    }

    private func run(_ arguments: [String], input: String?) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.kcat)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
