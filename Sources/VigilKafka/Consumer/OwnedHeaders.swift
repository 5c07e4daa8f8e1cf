/// Headers of a message built in Swift, copied into memory it owns so that `header(_:)` can lend pointers the way
/// librdkafka's buffer does.
final class OwnedHeaders {
    let headers: [KafkaHeader]
    private let values: [UnsafeMutableRawBufferPointer?]

    init(_ headers: [KafkaHeader]) {
        self.headers = headers
        values = headers.map { header in
            header.value.map { bytes in
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
                buffer.copyBytes(from: bytes)
                return buffer
            }
        }
    }

    deinit {
        for value in values { value?.deallocate() }
    }

    func last(named name: String) -> UnsafeRawBufferPointer? {
        guard let index = headers.lastIndex(where: { $0.key == name }) else { return nil }
        return values[index].map { UnsafeRawBufferPointer($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }
}
