internal import CRdKafka
import Logging

/// The properties of one handle: the caller's first, then what the wrapper depends on (`forced`), then `defaults`
/// for whatever the caller left unset.
struct KafkaConfiguration {
    var properties: [String: String]
    var forced: [(key: String, value: String)]
    var defaults: [(key: String, value: String)]

    /// A new `rd_kafka_conf_t`; on failure it is freed and the error names the property (never its value, which
    /// may be a password).
    func make(logger: Logger) throws(KafkaError) -> OpaquePointer {
        let conf: OpaquePointer = rd_kafka_conf_new()
        do throws(KafkaError) {
            // Sorted so that the same bad configuration always reports the same property.
            for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
                try Self.set(key, value, on: conf)
            }
            for (key, value) in forced {
                if let given = properties[key], given != value {
                    logger.warning(
                        "Overriding a Kafka property the client depends on",
                        metadata: ["kafka.property": "\(key)", "kafka.value": "\(value)"]
                    )
                }
                try Self.set(key, value, on: conf)
            }
            for (key, value) in defaults where properties[key] == nil {
                try Self.set(key, value, on: conf)
            }
        } catch {
            rd_kafka_conf_destroy(conf)
            throw error
        }
        return conf
    }

    private static func set(_ key: String, _ value: String, on conf: OpaquePointer) throws(KafkaError) {
        let failure: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            buffer.initialize(repeating: 0)
            let result = rd_kafka_conf_set(conf, key, value, buffer.baseAddress, buffer.count)
            guard result != RD_KAFKA_CONF_OK else { return nil }
            return buffer.baseAddress.map { String(cString: $0) } ?? "rejected"
        }
        if let failure {
            // librdkafka's message may quote the value: for a secret, say only that it was refused.
            let reason = SecretProperty.isSecret(key) ? "value refused (not shown: a secret)" : failure
            throw KafkaError(code: .configuration, message: "Kafka property '\(key)': \(reason)")
        }
    }
}
