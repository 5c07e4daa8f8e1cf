import VigilCore

/// A Kafka message made from fuzzer bytes. The first byte chooses: bit 0 a key (`P-1`) or none, bit 1 binary mode
/// (headers) or structured (the value alone), bit 2 a `content-type: application/cloudevents+json` header. In binary
/// mode the input after the first byte is `headers NUL value`, headers as `name=value` lines. Owns copies of its
/// bytes for as long as it lives, as a consumed message's are owned by librdkafka.
final class FuzzMessage: InboundMessage {
    private let keyBuffer: UnsafeMutableRawBufferPointer?
    private let valueBuffer: UnsafeMutableRawBufferPointer
    private let headerBuffers: [(name: String, bytes: UnsafeMutableRawBufferPointer)]

    init(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        let flags = bytes.first ?? 0
        keyBuffer = flags & 1 != 0 ? Self.copy(Array("P-1".utf8)[...]) : nil
        let body = bytes.dropFirst()
        var headers: [(String, UnsafeMutableRawBufferPointer)] = []
        if flags & 4 != 0 { headers.append(("content-type", Self.copy(Array("application/cloudevents+json".utf8)[...]))) }
        if flags & 2 != 0, let separator = body.firstIndex(of: 0) {
            for line in body[..<separator].split(separator: UInt8(ascii: "\n")) {
                guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { continue }
                headers.append((String(decoding: line[..<equals], as: UTF8.self), Self.copy(line[(equals + 1)...])))
            }
            valueBuffer = Self.copy(body[(separator + 1)...])
        } else {
            valueBuffer = Self.copy(body)
        }
        headerBuffers = headers
    }

    deinit {
        keyBuffer?.deallocate()
        valueBuffer.deallocate()
        for header in headerBuffers { header.bytes.deallocate() }
    }

    private static func copy(_ bytes: ArraySlice<UInt8>) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        buffer.copyBytes(from: bytes)
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])
    }

    var key: UnsafeRawBufferPointer? { keyBuffer.map(UnsafeRawBufferPointer.init) }
    var value: UnsafeRawBufferPointer? { UnsafeRawBufferPointer(valueBuffer) }

    func header(_ name: String) -> UnsafeRawBufferPointer? {
        headerBuffers.last(where: { $0.name == name }).map { UnsafeRawBufferPointer($0.bytes) }
    }
}
