import Foundation

/// Reads the layout that `BinaryStateWriter+PatientState` writes, in the same order.
extension BinaryStateReader {
    /// `patientId` (the record's key) goes into the kept alerts, which are stored without it. `version` 2 holds
    /// processed events as their `source` and `id`, which are fingerprinted; version 3 holds the fingerprints;
    /// version 4 adds the open alert group and each kept alert's group and notify flag.
    mutating func state(patientId: String, version: Int) throws(PatientStateCodecError) -> PatientState {
        var state = PatientState()
        state.history = try history()
        let processed = try count()
        state.processedEvents.reserveCapacity(Self.reservation(processed))
        for _ in 0..<processed {
            let fingerprint: ProcessedEvents.Fingerprint
            if version == 2 {
                fingerprint = ProcessedEvents.Fingerprint(source: try string(), id: try string())
            } else {
                let low = try word()
                fingerprint = ProcessedEvents.Fingerprint(high: try word(), lowWord: low)
            }
            state.processedEvents.insert(fingerprint, time: try date())
        }
        let cooldowns = try count()
        state.cooldowns.reserveCapacity(Self.reservation(cooldowns))
        for _ in 0..<cooldowns {
            let rule = try string()
            state.cooldowns[rule] = PatientState.Cooldown(until: try date(), severity: try code(Severity.init(stateCode:)))
        }
        state.timers = try timers(patientId: patientId, version: version)
        state.isDischarged = try bool()
        state.latestEventTime = try date()
        state.nextPruneAt = try date()
        if version >= 4, try bool() {
            let id = try string()
            state.group = AlertGroup(id: id, latestTriggeredAt: try date(), notifiedSeverity: try code(Severity.init(stateCode:)), memberIds: AlertIDList(try strings()))
        }
        return state
    }

    private mutating func history() throws(PatientStateCodecError) -> PatientHistory {
        var history = PatientHistory()
        let cravingCount = try count()
        history.reserveCravings(Self.reservation(cravingCount))
        for _ in 0..<cravingCount {
            history.appendRestoredCraving(eventId: try string(), time: try date(), score: try number(), substance: try optionalString())
        }
        var checkins: [CheckinRecord] = []
        let checkinCount = try count()
        checkins.reserveCapacity(Self.reservation(checkinCount))
        for _ in 0..<checkinCount {
            checkins.reserveCapacityForOneMore()
            checkins.append(CheckinRecord(eventId: try string(), time: try date(), checkin: try checkin()))
        }
        var appointments: [AppointmentRecord] = []
        let appointmentCount = try count()
        appointments.reserveCapacity(Self.reservation(appointmentCount))
        for _ in 0..<appointmentCount {
            let eventId = try string()
            appointments.reserveCapacityForOneMore()
            appointments.append(AppointmentRecord(eventId: eventId, time: try date(), status: try code(Appointment.Status.init(stateCode:))))
        }
        let cadence = try number()
        guard cadence > 0 else { throw malformed("a check-in cadence that is not positive") }
        history.restore(checkins: checkins, appointments: appointments, checkinEveryHours: cadence)
        return history
    }

    private mutating func checkin() throws(PatientStateCodecError) -> Checkin {
        let present = try byte()
        var checkin = Checkin()
        if present & 1 != 0 { checkin.mood = try integer() }
        if present & 2 != 0 { checkin.stress = try integer() }
        if present & 4 != 0 { checkin.sleepHours = try number() }
        if present & 8 != 0 { checkin.substanceUse = Checkin.SubstanceUse(used: try bool(), substances: try strings()) }
        if present & 16 != 0 { checkin.cueExposure = try bool() }
        if present & 32 != 0 {
            let scale = try code(Checkin.Withdrawal.Scale.init(stateCode:))
            checkin.withdrawal = Checkin.Withdrawal(scale: scale, score: try number(), complicated: try bool())
        }
        if present & 64 != 0 { checkin.phq9Item9 = try integer() }
        if present & 128 != 0 { checkin.helpRequested = try bool() }
        return checkin
    }

    private mutating func timers(patientId: String, version: Int) throws(PatientStateCodecError) -> PatientTimers {
        let present = try byte()
        guard present < 32 else { throw malformed("unknown timer flags") }
        var timers = PatientTimers()
        if present & 1 != 0 { timers.checkinClockStart = try date() }
        if present & 2 != 0 { timers.checkinClockEventId = try string() }
        timers.checkinClockEventType = try code(EventType.init(stateCode:))
        timers.missedLevel = try level()
        if present & 4 != 0 { timers.lapseDeadline = try date() }
        if present & 8 != 0 { timers.lapseAlertId = try string() }
        if present & 16 != 0 { timers.lapseEvidence = try evidence() }
        let awaiting = try count()
        timers.awaitingCheckin.reserveCapacity(Self.reservation(awaiting))
        for _ in 0..<awaiting { timers.awaitingCheckin.append(try alert(patientId: patientId, version: version)) }
        let escalations = try count()
        timers.escalations.reserveCapacity(Self.reservation(escalations))
        for _ in 0..<escalations {
            let alert = try alert(patientId: patientId, version: version)
            timers.escalations.append(PatientTimers.Escalation(alert: alert, level: try level(), alertIds: AlertIDList(try strings())))
        }
        return timers
    }

    private mutating func alert(patientId: String, version: Int) throws(PatientStateCodecError) -> Alert {
        let flags = try byte()
        guard flags < (version >= 4 ? 32 : 8) else { throw malformed("unknown alert flags") }
        let alertId = try string()
        let rule = try string()
        let ruleVersion = try integer()
        let severity = try code(Severity.init(stateCode:))
        let status = try code(Alert.Status.init(stateCode:))
        let summary = try string()
        var evidence: [Evidence] = []
        let evidenceCount = try count()
        evidence.reserveCapacity(Self.reservation(evidenceCount))
        for _ in 0..<evidenceCount { evidence.append(try self.evidence()) }
        var alert = Alert(
            alertId: alertId, patientId: patientId, rule: rule, ruleVersion: ruleVersion, severity: severity, status: status,
            summary: summary, evidence: evidence, alsoMatched: try strings(), triggeredAt: try date(), detectedAt: try date(),
            recommendedAction: severity.recommendedAction)
        if flags & 1 != 0 { alert.recommendedAction = try string() }
        if flags & 2 != 0 { alert.escalationLevel = try integer() }
        if flags & 4 != 0 { alert.originalAlertId = try string() }
        alert.groupId = flags & 8 != 0 ? try string() : alertId
        alert.notify = flags & 16 == 0
        return alert
    }

    private mutating func evidence() throws(PatientStateCodecError) -> Evidence {
        let eventId = try string()
        let type = try code(EventType.init(stateCode:))
        let time = try date()
        let field = try string()
        let value: Evidence.Value
        switch try byte() {
        case 0: value = .number(try number())
        case 1: value = .bool(false)
        case 2: value = .bool(true)
        case 3: value = .string(try string())
        case 4: value = .strings(try strings())
        default: throw malformed("an unknown evidence value kind")
        }
        return Evidence(eventId: eventId, type: type, time: time, field: field, value: value)
    }

    private mutating func strings() throws(PatientStateCodecError) -> [String] {
        var strings: [String] = []
        let count = try count()
        strings.reserveCapacity(Self.reservation(count))
        for _ in 0..<count { strings.append(try string()) }
        return strings
    }

    /// An enum's one-byte code (`BinaryStateCodes`).
    private mutating func code<Code>(_ make: (UInt8) -> Code?) throws(PatientStateCodecError) -> Code {
        guard let code = make(try byte()) else { throw malformed("an unknown \(Code.self) code") }
        return code
    }

    /// Room reserved for a collection of `count` elements read from the record: a count is bounded by the bytes
    /// left, but each element takes more memory than a byte, so a hostile count must not reserve much.
    static func reservation(_ count: Int) -> Int { Swift.min(count, 64) }
}
