internal import CRdKafka

/// The delivery report callback, served by `rd_kafka_poll` / `rd_kafka_flush` on the caller's thread.
enum ProducerCallbacks {
    static func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let message, let context = CallbackContext.from(opaque), let deliver = context.deliveryHandler
            else { return }
            let code = message.pointee.err
            let topic = message.pointee.rkt.map { context.topicNames.name(of: $0) } ?? ""
            let error = code == RD_KAFKA_RESP_ERR_NO_ERROR
                ? nil
                : KafkaError(code, operation: .produce, "Delivering a message to \(topic)")
            deliver(
                DeliveryReport(
                    token: UInt64(UInt(bitPattern: message.pointee._private)),
                    error: error,
                    topic: topic,
                    partition: message.pointee.partition,
                    offset: message.pointee.offset
                )
            )
        }
    }
}
