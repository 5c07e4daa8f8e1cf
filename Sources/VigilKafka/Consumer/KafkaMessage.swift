internal import CRdKafka

/// A consumed message: a borrowed view into librdkafka's buffer, valid only inside the `poll` body (zero copy).
/// Copy whatever must outlive the body (`headers()`, `Array(value)`).
public struct KafkaMessage {
    /// Shared per topic, so reading it allocates nothing.
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var timestampMilliseconds: Int64?
    public var key: UnsafeRawBufferPointer?
    public var value: UnsafeRawBufferPointer?

    enum Source {
        case librdkafka(UnsafeMutablePointer<rd_kafka_message_t>)
        case owned(OwnedHeaders)
    }

    let source: Source

    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) {
        self.topic = topic
        partition = message.pointee.partition
        offset = message.pointee.offset
        let timestamp = rd_kafka_message_timestamp(message, nil)
        timestampMilliseconds = timestamp >= 0 ? timestamp : nil
        key = message.pointee.key.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.key_len) }
        value = message.pointee.payload.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.len) }
        source = .librdkafka(message)
    }

    /// The value of the last header called `name` (`rd_kafka_header_get_last`): `nil` if there is none, an empty
    /// buffer if its value is null or empty.
    public func header(_ name: String) -> UnsafeRawBufferPointer? {
        switch source {
        case .owned(let headers):
            return headers.last(named: name)
        case .librdkafka(let message):
            var headers: OpaquePointer?
            guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else {
                return nil
            }
            var value: UnsafeRawPointer?
            var size = 0
            let found = name.withCString { rd_kafka_header_get_last(headers, $0, &value, &size) }
            guard found == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            return UnsafeRawBufferPointer(start: value, count: value == nil ? 0 : size)
        }
    }

    /// All headers, in order, copied out of librdkafka's buffer (for dead-lettering a message byte for byte).
    public func headers() -> [KafkaHeader] {
        switch source {
        case .owned(let headers):
            return headers.headers
        case .librdkafka(let message):
            var headers: OpaquePointer?
            guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else {
                return []
            }
            var result: [KafkaHeader] = []
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(headers, result.count, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR,
                let name
            {
                let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                result.append(KafkaHeader(key: String(cString: name), value: bytes))
            }
            return result
        }
    }
}

/// Pointers into librdkafka's buffer must not cross threads or outlive the poll body.
@available(*, unavailable)
extension KafkaMessage: Sendable {}
