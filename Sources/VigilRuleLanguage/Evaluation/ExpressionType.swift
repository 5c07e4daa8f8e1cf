/// The static types of the rule language. Every expression is type-checked when its file loads, so that a rule
/// never meets a type error on a patient's event; what remains at run time is a missing optional field, an empty
/// list or an index out of range (see `EvaluationError`).
indirect enum ExpressionType: Equatable, Sendable, CustomStringConvertible {
    case bool
    /// CEL's `double`: the language has one number type; integer literals are numbers.
    case number
    case string
    case timestamp
    case duration
    case list(ExpressionType)
    /// A patient's records of one kind in event-time order: a list that also has the windowed functions.
    case history(RecordKind)
    /// An event or a history record; `event` of a rule that fires on several types may be any of them.
    case record(RecordKinds)
    /// A record's `data`, or an object inside it (`substanceUse`, `withdrawal`).
    case object(ObjectKind, RecordKinds)
    /// The element type of the empty list, which fits any list.
    case any

    var description: String {
        switch self {
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .timestamp: "timestamp"
        case .duration: "duration"
        case .list(let element): "list(\(element))"
        case .history(let kind): "history(\(kind.name))"
        case .record(let kinds): "record(\(kinds.names))"
        case .object(let object, _): object.rawValue
        case .any: "any"
        }
    }

    /// The type of an element when iterated, or nil for a non-list.
    var elementType: ExpressionType? {
        switch self {
        case .list(let element): element
        case .history(let kind): .record(RecordKinds(kind))
        default: nil
        }
    }

    /// Whether a value of this type can stand where `other` is expected.
    func fits(_ other: ExpressionType) -> Bool {
        if self == other || self == .any || other == .any { return true }
        switch (self, other) {
        case (.list(let mine), .list(let theirs)): return mine.fits(theirs)
        case (.history(let kind), .list(let element)): return ExpressionType.record(RecordKinds(kind)).fits(element)
        case (.record(let mine), .record(let theirs)): return theirs.isSuperset(of: mine)
        default: return false
        }
    }

    /// The common type of two branches (of `? :`, or of list elements), or nil. The empty list's `any` element
    /// takes the other side's type, whichever side it is on.
    func joined(with other: ExpressionType) -> ExpressionType? {
        switch (self, other) {
        case (.any, _): return other
        case (_, .any): return self
        case (.list(let mine), .list(let theirs)): return mine.joined(with: theirs).map(ExpressionType.list)
        case (.history(let mine), .history(let theirs)) where mine == theirs: return self
        case (.history(let kind), .list): return ExpressionType.list(.record(RecordKinds(kind))).joined(with: other)
        case (.list, .history(let kind)): return joined(with: .list(.record(RecordKinds(kind))))
        case (.record(let mine), .record(let theirs)): return .record(mine.union(theirs))
        default: return self == other ? self : nil
        }
    }
}

/// The three kinds of history a rule reads.
enum RecordKind: String, Sendable, CaseIterable {
    case craving, checkin, appointment

    var name: String { rawValue }

    /// The kind's index in arrays kept per kind.
    var position: Int {
        switch self {
        case .craving: 0
        case .checkin: 1
        case .appointment: 2
        }
    }

    /// The CloudEvents type of events of this kind.
    var eventType: String {
        switch self {
        case .craving: "care.craving.v1"
        case .checkin: "care.checkin.v1"
        case .appointment: "care.appointment.v1"
        }
    }
}

struct RecordKinds: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ kind: RecordKind) {
        switch kind {
        case .craving: self = .craving
        case .checkin: self = .checkin
        case .appointment: self = .appointment
        }
    }

    static let craving = RecordKinds(rawValue: 1)
    static let checkin = RecordKinds(rawValue: 2)
    static let appointment = RecordKinds(rawValue: 4)

    var kinds: [RecordKind] { RecordKind.allCases.filter { contains(RecordKinds($0)) } }
    var names: String { kinds.map(\.name).joined(separator: "|") }
}

/// The objects with fields: a record's `data` and the two objects inside a check-in's data.
enum ObjectKind: String, Sendable {
    case data
    case substanceUse
    case withdrawal

    struct Field: Sendable {
        var type: ExpressionType
        /// The record kinds whose data has the field (for `data`).
        var kinds: RecordKinds
        /// May be absent: read it after `has(...)`.
        var isOptional: Bool
    }

    /// The fields the language reads: what `PatientHistory` keeps of each event (CONTRACT.md's `data`).
    func field(_ name: String) -> Field? {
        switch (self, name) {
        case (.data, "score"): Field(type: .number, kinds: .craving, isOptional: false)
        case (.data, "substance"): Field(type: .string, kinds: .craving, isOptional: true)
        case (.data, "mood"), (.data, "stress"), (.data, "sleepHours"), (.data, "phq9Item9"):
            Field(type: .number, kinds: .checkin, isOptional: true)
        case (.data, "cueExposure"), (.data, "helpRequested"): Field(type: .bool, kinds: .checkin, isOptional: true)
        case (.data, "substanceUse"): Field(type: .object(.substanceUse, .checkin), kinds: .checkin, isOptional: true)
        case (.data, "withdrawal"): Field(type: .object(.withdrawal, .checkin), kinds: .checkin, isOptional: true)
        case (.data, "status"): Field(type: .string, kinds: .appointment, isOptional: false)
        case (.substanceUse, "used"): Field(type: .bool, kinds: .checkin, isOptional: false)
        case (.substanceUse, "substances"): Field(type: .list(.string), kinds: .checkin, isOptional: false)
        case (.withdrawal, "scale"): Field(type: .string, kinds: .checkin, isOptional: false)
        case (.withdrawal, "score"): Field(type: .number, kinds: .checkin, isOptional: false)
        case (.withdrawal, "complicated"): Field(type: .bool, kinds: .checkin, isOptional: false)
        default: nil
        }
    }
}
