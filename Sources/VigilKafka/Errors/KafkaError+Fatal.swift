internal import CRdKafka

extension KafkaError {
    /// The error behind librdkafka's `_FATAL`, which only says "see rd_kafka_fatal_error()". `nil` if none.
    static func fatalIfAny(of handle: OpaquePointer) -> KafkaError? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            buffer.initialize(repeating: 0)
            let code = rd_kafka_fatal_error(handle, buffer.baseAddress, buffer.count)
            guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            var error = KafkaError(code, operation: .fatal, buffer.baseAddress.map { String(cString: $0) } ?? "")
            error.code = .fatal
            error.isRetriable = false
            return error
        }
    }

    static func fatal(of handle: OpaquePointer) -> KafkaError {
        fatalIfAny(of: handle) ?? KafkaError(code: .fatal, message: "fatal error reported without details")
    }
}
