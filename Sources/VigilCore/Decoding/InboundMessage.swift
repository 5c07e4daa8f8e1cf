/// What the decoder needs of a transport message: borrowed bytes, valid while the decoder runs.
/// The Kafka layer's message view conforms without copying.
public protocol InboundMessage {
    var key: UnsafeRawBufferPointer? { get }
    var value: UnsafeRawBufferPointer? { get }
    /// The last header with that name.
    func header(_ name: String) -> UnsafeRawBufferPointer?
}

extension UnsafeRawBufferPointer {
    /// The bytes as text, or nil when they are not valid UTF-8.
    var utf8String: String? { UTF8Text.string(self) }
}
