import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `vigil run` as an operator starts it, on a free HTTP port on loopback.
final class Daemon: Sendable {
    let process: ChildProcess
    let groupId: String

    init(broker: DevBroker?, groupId: String = "vigil-\(UUID().uuidString.prefix(8))", arguments: [String] = [], environment: [String: String] = [:]) throws {
        self.groupId = groupId
        var all = ["run", "--http-port", "0", "--group-id", groupId, "--shutdown-timeout", "20s"]
        if let broker { all += ["--brokers", broker.bootstrap] }
        process = try ChildProcess(Binaries.vigil, all + arguments, environment: environment)
    }

    /// The port from the daemon's "HTTP listening" log line.
    var httpPort: Int? {
        guard let line = process.stderr.split(separator: "\n").first(where: { $0.contains("HTTP listening") }),
            let field = line.split(separator: " ").first(where: { $0.hasPrefix("http.port=") })
        else { return nil }
        return Int(field.dropFirst("http.port=".count))
    }

    func get(_ path: String) async throws -> (status: Int, body: String) {
        // A plain error, not #require: callers poll this before the daemon listens, inside `try?`.
        guard let port = httpPort, let url = URL(string: "http://127.0.0.1:\(port)\(path)") else {
            throw NotListening(stderr: process.stderr)
        }
        var request = URLRequest(url: url)
        request.cachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        let (data, response) = try await Self.session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func post(_ path: String, headers: [String: String] = [:]) async throws -> (status: Int, body: String) {
        guard let port = httpPort, let url = URL(string: "http://127.0.0.1:\(port)\(path)") else {
            throw NotListening(stderr: process.stderr)
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// No caching: the tests read changing values from the same URLs.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        return URLSession(configuration: configuration)
    }()

    /// Waits until `/health/ready` answers 200 (or 503 with `expectReady: false`).
    func waitForReadiness(_ expectReady: Bool = true, timeout: TimeInterval = 60) async throws {
        let reached = await Wait.until(timeout: timeout) {
            guard process.isRunning, httpPort != nil, let answer = try? await get("/health/ready") else { return false }
            return (answer.status == 200) == expectReady
        }
        try #require(reached, "readiness never became \(expectReady): \(process.stderr.suffix(3000))")
    }

    /// The value of a counter or gauge family summed over its label sets, from `/metrics`.
    func metric(_ name: String, matching labels: String = "") async throws -> Double {
        let body = try await get("/metrics").body
        return body.split(separator: "\n")
            .filter { ($0.hasPrefix(name + "{") || $0.hasPrefix(name + " ")) && (labels.isEmpty || $0.contains(labels)) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    func stop() async {
        await process.stop()
    }
}

struct NotListening: Error, CustomStringConvertible {
    var stderr: String
    var description: String { "the daemon is not listening: \(stderr.suffix(2000))" }
}
