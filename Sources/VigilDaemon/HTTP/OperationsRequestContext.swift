import Hummingbird
import NIOCore

/// The request context of the operations server: Hummingbird's basic context plus the client's address, which
/// `POST /-/reload` checks when no admin token is configured.
public struct OperationsRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// 127.0.0.0/8, ::1, or an IPv4-mapped loopback address.
    var isLoopbackClient: Bool {
        guard let ip = remoteAddress?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
