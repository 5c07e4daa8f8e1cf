internal import CRdKafka

extension KafkaProducer {
    /// Queues a message; its bytes are copied, so the buffers may be reused when this returns. The delivery
    /// report carries `token`. When librdkafka's local queue is full this serves delivery reports and retries
    /// (bounded memory, nothing dropped), so it can block until the broker catches up. `partition` nil lets the
    /// configured partitioner choose from the key.
    /// - Throws: `.produce` (or `.fatal`, `.unknownTopic`) when the message cannot be queued.
    public func produce(
        topic: String,
        partition: Int32? = nil,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader],
        token: UInt64
    ) throws(KafkaError) {
        // Built once for all attempts; librdkafka owns the list only once a produce call succeeds.
        let cHeaders = headers.isEmpty ? nil : Self.makeHeaders(headers)
        while true {
            guard let error = produceOnce(topic: topic, partition: partition, key: key, value: value, headers: cHeaders, token: token) else {
                return
            }
            guard rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                if let cHeaders { rd_kafka_headers_destroy(cHeaders) }
                throw KafkaError(consuming: error, operation: .produce, "Producing to \(topic)")
            }
            rd_kafka_error_destroy(error)
            rd_kafka_poll(client.handle, 10)
        }
    }

    /// Convenience for callers holding arrays.
    public func produce(
        topic: String,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader],
        token: UInt64
    ) throws(KafkaError) {
        let result: Result<Void, KafkaError> = value.withUnsafeBytes { value in
            guard let key else {
                return Result { () throws(KafkaError) in
                    try produce(topic: topic, key: nil, value: value, headers: headers, token: token)
                }
            }
            return key.withUnsafeBytes { key in
                Result { () throws(KafkaError) in
                    try produce(topic: topic, key: key, value: value, headers: headers, token: token)
                }
            }
        }
        try result.get()
    }

    /// One `rd_kafka_produceva` (`rd_kafka_producev` is variadic, which Swift cannot call). Returns its error.
    private func produceOnce(
        topic: String,
        partition: Int32?,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: OpaquePointer?,
        token: UInt64
    ) -> OpaquePointer? {
        topic.withCString { topicName in
            // On the stack: no allocation per message.
            withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { arguments in
                var count = 0
                func append(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                    var argument = rd_kafka_vu_t()
                    argument.vtype = type
                    set(&argument)
                    arguments.initializeElement(at: count, to: argument)
                    count += 1
                }
                append(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topicName }
                append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(token)) }
                if let partition {
                    append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition }
                }
                if let key {
                    append(RD_KAFKA_VTYPE_KEY) {
                        $0.u.mem.ptr = Self.address(of: key)
                        $0.u.mem.size = key.count
                    }
                }
                if let value {
                    append(RD_KAFKA_VTYPE_VALUE) {
                        $0.u.mem.ptr = Self.address(of: value)
                        $0.u.mem.size = value.count
                    }
                }
                if let headers {
                    append(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers }
                }
                defer { arguments.baseAddress?.deinitialize(count: count) }
                return rd_kafka_produceva(client.handle, arguments.baseAddress, count)
            }
        }
    }

    /// librdkafka reads a null pointer as a null key or value; an empty buffer may have no address but is not null.
    private static func address(of buffer: UnsafeRawBufferPointer) -> UnsafeMutableRawPointer {
        // librdkafka only reads it (RD_KAFKA_MSG_F_COPY); the C field is just not const.
        UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafeRawPointer(emptyBytes))
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
        let list: OpaquePointer = rd_kafka_headers_new(headers.count)
        for header in headers {
            // A header add only fails for a read-only list, which a new one is not.
            if let value = header.value {
                _ = value.withUnsafeBytes { bytes in
                    let address = bytes.baseAddress ?? UnsafeRawPointer(emptyBytes)
                    return rd_kafka_header_add(list, header.key, -1, address, bytes.count)
                }
            } else {
                _ = rd_kafka_header_add(list, header.key, -1, nil, 0)
            }
        }
        return list
    }
}

/// A valid address for zero-length keys, values and headers.
nonisolated(unsafe) private let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
