import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing
@testable import VigilDaemon

#if canImport(Glibc)
import Glibc
#endif

/// The operations server's bounds, over real sockets on loopback.
@Suite("HTTP: request-size and idle-connection bounds")
struct HTTPServerLimitsTests {
    /// Runs the operations router under `limits` on a free loopback port for the duration of `body`.
    static func withServer(_ limits: HTTPServerLimits, _ body: @Sendable (Int) async throws -> Void) async throws {
        let status = StatusInfo(version: "test", ruleSet: try Modules.registry.ruleSet(for: VigilConfiguration.Rules()), groupId: "vigil-test")
        let router = OperationsRouter.build(health: HealthState(), registry: .init(), status: status)
        let port = AsyncStream<Int>.makeStream()
        let logger = Logger(label: "vigil.http.tests") { _ in SwiftLogNoOpLogHandler() }
        let app = Application(
            router: router, server: limits.server(), configuration: limits.configuration(host: "127.0.0.1", port: 0, logger: logger),
            onServerRunning: { port.continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var ports = port.stream.makeAsyncIterator()
            let bound = try #require(await ports.next())
            try await body(bound)
            group.cancelAll()
        }
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idleConnectionClosed() async throws {
        var limits = HTTPServerLimits()
        limits.idleTimeout = .milliseconds(300)
        try await Self.withServer(limits) { port in
            let socket = try LoopbackSocket(port: port)
            // Waits up to 20 s: the server closes (recv returns 0) long before, or the read times out (nil).
            #expect(socket.readUntilClosed(timeoutSeconds: 20) != nil, "the server kept an idle connection open")
        }
    }

    @Test("a request whose headers exceed the bound gets 400 and a closed connection; a normal one is answered")
    func oversizedHeaders() async throws {
        try await Self.withServer(HTTPServerLimits()) { port in
            let normal = try LoopbackSocket(port: port)
            normal.send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(normal.readUntilClosed(timeoutSeconds: 20)?.hasPrefix("HTTP/1.1 200") == true)

            let hostile = try LoopbackSocket(port: port)
            hostile.send("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "a", count: 20 * 1024))\r\n\r\n")
            let answer = hostile.readUntilClosed(timeoutSeconds: 20)
            #expect(answer?.hasPrefix("HTTP/1.1 400") == true, "got \(answer?.prefix(40) ?? "no close")")

            let longLine = try LoopbackSocket(port: port)
            longLine.send("GET /health/live?\(String(repeating: "q", count: 20 * 1024)) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(longLine.readUntilClosed(timeoutSeconds: 20)?.hasPrefix("HTTP/1.1 400") == true)
        }
    }

    @Test("the defaults are the documented bounds")
    func defaults() {
        let limits = HTTPServerLimits()
        #expect(limits.idleTimeout == .seconds(30))
        #expect(limits.maxHeaderBytes == 16 * 1024)
        #expect(limits.maxHeaderCount == 64)
        #expect(limits.maxConnections == 64)
    }
}

/// A blocking TCP client on 127.0.0.1, to see what the server does with a raw connection.
final class LoopbackSocket {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { Glibc.close(descriptor) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            sent += written
        }
    }

    /// Everything the server sent until it closed the connection; nil if it was still open after the timeout.
    func readUntilClosed(timeoutSeconds: Int) -> String? {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            if count < 0 { return errno == ECONNRESET ? String(decoding: received, as: UTF8.self) : nil }
            received += buffer[0..<count]
        }
    }
}
