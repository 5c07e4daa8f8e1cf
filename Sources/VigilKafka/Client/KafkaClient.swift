internal import CRdKafka

/// Owns one `rd_kafka_t` and the context its C callbacks reach.
///
/// `@unchecked Sendable`: the handle pointer never changes and librdkafka's handle is thread-safe for every call
/// made through it, except consumer polling, which `KafkaConsumer` confines to one thread by contract. The
/// context outlives the handle: it is released only after `deinit` has destroyed the handle, and
/// `rd_kafka_destroy` joins librdkafka's threads, so no callback can reach a freed context.
final class KafkaClient: @unchecked Sendable {
    let handle: OpaquePointer
    let context: CallbackContext

    private init(handle: OpaquePointer, context: CallbackContext) {
        self.handle = handle
        self.context = context
    }

    /// `install` sets the callbacks specific to the client kind on the configuration.
    static func make(
        _ type: rd_kafka_type_t,
        configuration: KafkaConfiguration,
        context: CallbackContext,
        install: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> KafkaClient {
        let conf = try configuration.make(logger: context.logger)
        ClientCallbacks.install(on: conf, context: context)
        install(conf)
        let created: Result<OpaquePointer, KafkaError> = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) {
            buffer in
            buffer.initialize(repeating: 0)
            if let handle = rd_kafka_new(type, conf, buffer.baseAddress, buffer.count) {
                return .success(handle)  // librdkafka now owns conf
            }
            rd_kafka_conf_destroy(conf)  // rd_kafka_new frees it only on success
            let reason = buffer.baseAddress.map { String(cString: $0) } ?? "rd_kafka_new failed"
            return .failure(KafkaError(code: .configuration, message: "Kafka client: \(reason)"))
        }
        return KafkaClient(handle: try created.get(), context: context)
    }

    deinit {
        rd_kafka_destroy(handle)
    }
}

extension KafkaClient {
    /// The value the client runs with for `property`, librdkafka's default or Vigil's included; nil for a property
    /// librdkafka does not know. Internal: it would also read secrets (tests check the defaults through it).
    func configuredValue(of property: String) -> String? {
        let configuration = rd_kafka_conf(handle)
        // The first call gives the size with the terminating NUL, the second copies the value.
        var size = 0
        guard rd_kafka_conf_get(configuration, property, nil, &size) == RD_KAFKA_CONF_OK, size > 0 else { return nil }
        var text = [CChar](repeating: 0, count: size)
        guard rd_kafka_conf_get(configuration, property, &text, &size) == RD_KAFKA_CONF_OK else { return nil }
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
