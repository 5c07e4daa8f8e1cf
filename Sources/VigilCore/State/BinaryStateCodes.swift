/// The one-byte codes of enums in a binary state record. Written out rather than derived from case order, so that
/// adding or reordering cases never changes what an earlier record means: a new case takes the next free code.
extension EventType {
    var stateCode: UInt8 {
        switch self {
        case .craving: 0
        case .checkin: 1
        case .appointment: 2
        case .enrollment: 3
        case .alertAck: 4
        }
    }

    init?(stateCode: UInt8) {
        switch stateCode {
        case 0: self = .craving
        case 1: self = .checkin
        case 2: self = .appointment
        case 3: self = .enrollment
        case 4: self = .alertAck
        default: return nil
        }
    }
}

extension Alert.Status {
    var stateCode: UInt8 {
        switch self {
        case .firing: 0
        case .escalated: 1
        case .resolved: 2
        }
    }

    init?(stateCode: UInt8) {
        switch stateCode {
        case 0: self = .firing
        case 1: self = .escalated
        case 2: self = .resolved
        default: return nil
        }
    }
}

extension Appointment.Status {
    var stateCode: UInt8 {
        switch self {
        case .attended: 0
        case .missed: 1
        case .cancelled: 2
        }
    }

    init?(stateCode: UInt8) {
        switch stateCode {
        case 0: self = .attended
        case 1: self = .missed
        case 2: self = .cancelled
        default: return nil
        }
    }
}

extension Checkin.Withdrawal.Scale {
    var stateCode: UInt8 {
        switch self {
        case .ciwaAr: 0
        case .cows: 1
        }
    }

    init?(stateCode: UInt8) {
        switch stateCode {
        case 0: self = .ciwaAr
        case 1: self = .cows
        default: return nil
        }
    }
}

extension Severity {
    /// The raw value: 0 low to 3 critical, already stable (severities are ordered by it).
    var stateCode: UInt8 { UInt8(rawValue) }
    init?(stateCode: UInt8) { self.init(rawValue: Int(stateCode)) }
}
