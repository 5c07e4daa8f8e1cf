import Foundation

/// Turns a Kafka message into a validated `PatientEvent` or a `DecodeFailure`, per the CloudEvents Kafka protocol
/// binding in both content modes. The order of checks decides the code when several apply: size, syntax,
/// CloudEvents envelope, type, data, key, clock.
public struct EventDecoder: Sendable {
    public var limits: DecodingLimits

    public init(limits: DecodingLimits = DecodingLimits()) {
        self.limits = limits
    }

    public func decode<Message: InboundMessage>(_ message: Message, now: Date) -> Result<PatientEvent, DecodeFailure> {
        do {
            let event = try decodeThrowing(message, now: now)
            return .success(event)
        } catch {
            return .failure(error)
        }
    }

    private func decodeThrowing<Message: InboundMessage>(_ message: Message, now: Date) throws(DecodeFailure) -> PatientEvent {
        let value = message.value ?? UnsafeRawBufferPointer(start: nil, count: 0)
        guard value.count <= limits.maxEventBytes else {
            throw DecodeFailure(.tooLarge, "value is \(value.count) bytes; the limit is \(limits.maxEventBytes)")
        }
        let envelope = try CloudEventEnvelope.read(message, value: value)
        guard let type = EventType(rawValue: envelope.type) else {
            throw DecodeFailure(.unsupportedType, "type: not one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var data = DataReader(value: envelope.data, path: "data")
        let patientId = try data.patientId()
        let payload = try Self.readPayload(type, from: &data)
        // A keyless message lands on an arbitrary partition: processing it would split the patient's state.
        guard let key = message.key else {
            throw DecodeFailure(.keyMismatch, "the message has no key; it must be data.patientId")
        }
        guard key.utf8String == patientId else {
            throw DecodeFailure(.keyMismatch, "the message key is not data.patientId")
        }
        guard envelope.time.timeIntervalSince(now) <= limits.maxClockSkew else {
            throw DecodeFailure(.timeInFuture, "time: more than \(Int(limits.maxClockSkew)) s ahead of the daemon's clock")
        }
        return PatientEvent(id: envelope.id, source: envelope.source, time: envelope.time, patientId: patientId, payload: payload)
    }

    private static func readPayload(_ type: EventType, from data: inout DataReader) throws(DecodeFailure) -> PatientEvent.Payload {
        switch type {
        case .craving: .craving(try data.craving())
        case .checkin: .checkin(try data.checkin())
        case .appointment: .appointment(try data.appointment())
        case .enrollment: .enrollment(try data.enrollment())
        case .alertAck: .alertAck(try data.alertAck())
        }
    }
}
