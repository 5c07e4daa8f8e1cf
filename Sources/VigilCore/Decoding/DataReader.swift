/// Reads and validates the members of an event's `data` object. Every failure names the field and the rule it
/// broke, never the value.
struct DataReader {
    let value: JSONValue
    let path: String

    init(value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    private func violation(_ field: String, _ rule: String) -> DecodeFailure {
        DecodeFailure(.schemaViolation, "\(path).\(field): \(rule)")
    }

    /// The member, with JSON `null` read as absent.
    private func member(_ field: String) throws(DecodeFailure) -> JSONValue? {
        guard value.isObject else { throw DecodeFailure(.schemaViolation, "\(path): must be a JSON object") }
        let member = value[field]
        if case .null = member { return nil }
        return member
    }

    func string(_ field: String, required: Bool = false) throws(DecodeFailure) -> String? {
        guard let member = try member(field) else {
            if required { throw violation(field, "required") }
            return nil
        }
        guard case .string(let text) = member else { throw violation(field, "must be a string") }
        return text
    }

    func number(_ field: String, in range: ClosedRange<Double>, required: Bool = false) throws(DecodeFailure) -> Double? {
        guard let member = try member(field) else {
            if required { throw violation(field, "required") }
            return nil
        }
        guard case .number(let number) = member, range.contains(number) else {
            throw violation(field, "must be a number from \(range.lowerBound.compact) to \(range.upperBound.compact)")
        }
        return number
    }

    func integer(_ field: String, in range: ClosedRange<Int>) throws(DecodeFailure) -> Int? {
        guard let member = try member(field) else { return nil }
        guard case .number(let number) = member, number.rounded() == number,
            Double(range.lowerBound) <= number, number <= Double(range.upperBound)
        else { throw violation(field, "must be an integer from \(range.lowerBound) to \(range.upperBound)") }
        return Int(number)
    }

    func bool(_ field: String, required: Bool = false) throws(DecodeFailure) -> Bool? {
        guard let member = try member(field) else {
            if required { throw violation(field, "required") }
            return nil
        }
        guard case .bool(let flag) = member else { throw violation(field, "must be true or false") }
        return flag
    }

    func oneOf<Choice: RawRepresentable<String>>(_ field: String, _ type: Choice.Type, choices: [Choice]) throws(DecodeFailure) -> Choice {
        guard let text = try string(field, required: true), let choice = Choice(rawValue: text) else {
            throw violation(field, "must be one of \(choices.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }

    func object(_ field: String) throws(DecodeFailure) -> DataReader? {
        guard let member = try member(field) else { return nil }
        guard member.isObject else { throw violation(field, "must be a JSON object") }
        return DataReader(value: member, path: "\(path).\(field)")
    }

    func strings(_ field: String) throws(DecodeFailure) -> [String]? {
        guard let member = try member(field) else { return nil }
        guard case .array(let elements) = member else { throw violation(field, "must be an array of strings") }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw violation(field, "must be an array of strings") }
            strings.append(text.asciiLowercasedIfNeeded)
        }
        return strings
    }

    /// `data.patientId`: 1 to 64 characters of `A-Z a-z 0-9 . _ : -`.
    func patientId() throws(DecodeFailure) -> String {
        guard let id = try string("patientId", required: true), PatientID.isValid(id) else {
            throw violation("patientId", "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -")
        }
        return id
    }
}

extension DataReader {
    func craving() throws(DecodeFailure) -> Craving {
        Craving(
            score: try number("score", in: 0...10, required: true) ?? 0,
            substance: try string("substance")?.asciiLowercasedIfNeeded
        )
    }

    func checkin() throws(DecodeFailure) -> Checkin {
        var checkin = Checkin(
            mood: try integer("mood", in: 0...10),
            stress: try integer("stress", in: 0...10),
            sleepHours: try number("sleepHours", in: 0...24),
            cueExposure: try bool("cueExposure"),
            phq9Item9: try integer("phq9Item9", in: 0...3),
            helpRequested: try bool("helpRequested")
        )
        if let use = try object("substanceUse") {
            checkin.substanceUse = Checkin.SubstanceUse(
                used: try use.bool("used", required: true) ?? false,
                substances: try use.strings("substances") ?? []
            )
        }
        if let withdrawal = try object("withdrawal") {
            let scale = try withdrawal.oneOf("scale", Checkin.Withdrawal.Scale.self, choices: [.ciwaAr, .cows])
            let maximum: Double = scale == .ciwaAr ? 67 : 48
            checkin.withdrawal = Checkin.Withdrawal(
                scale: scale,
                score: try withdrawal.number("score", in: 0...maximum, required: true) ?? 0,
                complicated: try withdrawal.bool("complicated") ?? false
            )
        }
        return checkin
    }

    func appointment() throws(DecodeFailure) -> Appointment {
        Appointment(
            status: try oneOf("status", Appointment.Status.self, choices: [.attended, .missed, .cancelled]),
            kind: try string("kind")
        )
    }

    func enrollment() throws(DecodeFailure) -> Enrollment {
        let status = try oneOf("status", Enrollment.Status.self, choices: [.active, .discharged])
        let cadence = try number("checkinEveryHours", in: 0...8_760)
        if cadence == 0 { throw violation("checkinEveryHours", "must be greater than 0") }
        return Enrollment(status: status, checkinEveryHours: cadence)
    }

    func alertAck() throws(DecodeFailure) -> AlertAck {
        guard let alertId = try string("alertId", required: true), !alertId.isEmpty, alertId.utf8.count <= 128 else {
            throw violation("alertId", "must be a string of 1 to 128 characters")
        }
        return AlertAck(
            alertId: alertId,
            action: try oneOf("action", AlertAck.Action.self, choices: [.acknowledged, .resolved, .dismissed]),
            reason: try string("reason")
        )
    }
}
