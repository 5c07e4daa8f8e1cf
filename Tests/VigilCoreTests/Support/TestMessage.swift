import VigilCore

/// An inbound message built in a test; owns copies of its bytes for as long as it lives. Keyed by the fixtures'
/// patient, `P-1`, unless told otherwise (`key: nil` for a keyless message).
final class TestMessage: InboundMessage {
    private let keyBuffer: UnsafeMutableRawBufferPointer?
    private let valueBuffer: UnsafeMutableRawBufferPointer?
    private let headerBuffers: [(String, UnsafeMutableRawBufferPointer)]

    init(key: String? = "P-1", value: String?, headers: [(String, String)] = []) {
        keyBuffer = key.map { Self.copy(Array($0.utf8)) }
        valueBuffer = value.map { Self.copy(Array($0.utf8)) }
        headerBuffers = headers.map { ($0.0, Self.copy(Array($0.1.utf8))) }
    }

    init(key: String? = "P-1", bytes: [UInt8], headers: [(String, String)] = []) {
        keyBuffer = key.map { Self.copy(Array($0.utf8)) }
        valueBuffer = Self.copy(bytes)
        headerBuffers = headers.map { ($0.0, Self.copy(Array($0.1.utf8))) }
    }

    deinit {
        keyBuffer?.deallocate()
        valueBuffer?.deallocate()
        headerBuffers.forEach { $0.1.deallocate() }
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        buffer.copyBytes(from: bytes)
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])
    }

    var key: UnsafeRawBufferPointer? { keyBuffer.map(UnsafeRawBufferPointer.init) }
    var value: UnsafeRawBufferPointer? { valueBuffer.map(UnsafeRawBufferPointer.init) }

    func header(_ name: String) -> UnsafeRawBufferPointer? {
        headerBuffers.last(where: { $0.0 == name }).map { UnsafeRawBufferPointer($0.1) }
    }
}
