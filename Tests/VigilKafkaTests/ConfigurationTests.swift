import Testing
import VigilKafka

@Suite("Configuration")
struct ConfigurationTests {
    static let (logger, _) = CapturingLogHandler.logger()

    static func consumer(_ properties: [String: String], groupId: String = "g") throws(KafkaError) -> KafkaConsumer {
        try KafkaConsumer(
            properties: properties,
            groupId: groupId,
            logger: logger,
            rebalanceHandler: { _ in },
            errorHandler: { _, _ in }
        )
    }

    static func isConfigurationError(naming property: String) -> @Sendable (any Error) -> Bool {
        { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .configuration && error.message.contains(property)
        }
    }

    @Test("an unknown property throws .configuration naming it")
    func unknownProperty() {
        #expect(throws: Never.self) { try Self.consumer([:]).close() }
        #expect(performing: { _ = try Self.consumer(["no.such.property": "1"]) },
                throws: Self.isConfigurationError(naming: "no.such.property"))
    }

    @Test("a bad value throws .configuration naming the property but not the value")
    func badValue() {
        #expect(performing: { _ = try Self.consumer(["sasl.password": "hunter2", "enable.auto.commit": "maybe"]) },
                throws: { error in
                    Self.isConfigurationError(naming: "enable.auto.commit")(error)
                        && !String(describing: error).contains("hunter2")
                })
    }

    @Test("an empty group id throws .configuration")
    func emptyGroup() {
        #expect(
            performing: { _ = try Self.consumer([:], groupId: "") },
            throws: Self.isConfigurationError(naming: "group.id")
        )
    }

    @Test("a bad producer property throws .configuration")
    func producerProperty() {
        #expect(performing: {
            _ = try KafkaProducer(
                properties: ["linger.ms": "soon"],
                logger: Self.logger,
                deliveryHandler: { _ in },
                errorHandler: { _, _ in }
            )
        }, throws: Self.isConfigurationError(naming: "linger.ms"))
    }

    @Test("librdkafka's logs reach the logger with their facility, and forced properties are reported")
    func logBridge() throws {
        let (logger, logs) = CapturingLogHandler.logger()
        _ = try KafkaProducer(
            // Deprecated in librdkafka 2.0.2: creating the handle logs a CONFWARN warning.
            properties: ["reconnect.backoff.jitter.ms": "10", "enable.idempotence": "false"],
            logger: logger,
            deliveryHandler: { _ in },
            errorHandler: { _, _ in }
        )
        let warnings = logs.all.filter { $0.level == .warning }
        #expect(warnings.contains {
            $0.metadata["kafka.facility"] == "CONFWARN" && $0.message.contains("reconnect.backoff.jitter.ms")
        })
        #expect(warnings.contains { $0.metadata["kafka.property"] == "enable.idempotence" })
    }
}
