import VigilKafka

extension OutboundRecord {
    func produce(with producer: KafkaProducer, token: UInt64) throws(KafkaError) {
        // A null key or value stays null (dead-letter copies are byte for byte).
        let result: Result<Void, KafkaError> = Self.withOptionalBytes(key) { key in
            Self.withOptionalBytes(value) { value in
                Result { () throws(KafkaError) in
                    try producer.produce(topic: topic, partition: partition, key: key, value: value, headers: headers, token: token)
                }
            }
        }
        try result.get()
    }

    private static func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }
}
