import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Bounds on what a client can make the operations server hold: its endpoints answer probes, scrapes and an
/// occasional reload, so nothing legitimate comes near these, and a misbehaving or hostile client on the network
/// cannot exhaust the daemon's memory or connections. No route reads a request body (one sent is discarded).
struct HTTPServerLimits: Sendable {
    /// A connection with no request in progress for this long is closed (also a client that stops half-way
    /// through a request head).
    var idleTimeout: TimeAmount = .seconds(30)
    /// The request line and headers, together and each; over it, 400 and the connection is closed.
    var maxHeaderBytes = 16 * 1024
    var maxHeaderCount = 64
    /// Connections held at once; further ones wait in the listen backlog until one closes.
    var maxConnections = 64

    func server() -> HTTPServerBuilder {
        .http1(configuration: .init(
            idleTimeout: idleTimeout,
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes, maxHeaderFieldCount: maxHeaderCount)))
    }

    func configuration(host: String, port: Int, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: "vigil",
            availableConnectionsDelegate: MaximumAvailableConnections(maxConnections, logger: logger))
    }
}
