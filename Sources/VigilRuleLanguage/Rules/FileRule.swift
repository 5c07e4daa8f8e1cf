import Foundation
import VigilCore

/// A rule from a rule file, configured: it runs in the engine exactly as a compiled rule does (folding, cooldowns,
/// escalation and absence rules are the engine's).
public final class FileRule: Rule {
    let definition: RuleDefinition
    public let options: RuleOptions
    let parameters: [Value]
    public let lookback: TimeInterval
    /// One frame pool per kind of event the rule fires on.
    let frames: [FramePool?]

    init(definition: RuleDefinition, options: RuleOptions, parameters: [Value], lookback: TimeInterval) {
        self.definition = definition
        self.options = options
        self.parameters = parameters
        self.lookback = lookback
        frames = definition.bodies.map { body in
            body.map { body in FramePool { Frame(parameters: parameters, lets: body.lets, variableSlots: body.variableSlots) } }
        }
    }

    public var id: String { definition.id }
    public var version: Int { definition.version }
    public var isShadow: Bool { definition.status == .testing }

    public func evaluate(_ event: PatientEvent, history: PatientHistory) -> RuleMatch? {
        evaluateReportingFailure(event, history: history).match
    }

    /// The first tier whose condition holds. A condition that fails to evaluate does not match; the failure is
    /// reported so that the daemon counts it (`vigil_rule_evaluation_errors_total`).
    public func evaluateReportingFailure(_ event: PatientEvent, history: PatientHistory) -> (match: RuleMatch?, failed: Bool) {
        guard let kind = RecordKind(event), let body = definition.bodies[kind.position], let frames = frames[kind.position] else { return (nil, false) }
        return frames.withFrame { frame in frame.evaluating(event, kind, history) {
            var failed = false
            func holds(_ condition: BoolEvaluator) -> Bool {
                do throws(EvaluationError) {
                    return try condition(frame)
                } catch {
                    failed = true
                    return false
                }
            }
            if let precondition = body.precondition, !holds(precondition) { return (nil, failed) }
            for tier in body.tiers where holds(tier.condition) {
                return (match(tier, frame: frame), failed)
            }
            return (nil, failed)
        } }
    }

    private func match(_ tier: RuleDefinition.Tier, frame: Frame) -> RuleMatch {
        // A summary that cannot be written must not cost the alert: the numbers are still in the evidence.
        let summary = (try? tier.summary.render(frame)) ?? "\(id) matched at \(tier.severity.name) (its summary could not be written for this event)"
        var evidence: [Evidence] = []
        for selector in tier.evidence { evidence += selector.evidence(frame) }
        var match = options.match(tier.severity, summary: summary, evidence: evidence, cooldown: tier.cooldown)
        if options.severity == nil, let action = tier.action { match.recommendedAction = action }
        return match
    }
}

extension RuleDefinition.EvidenceSelector {
    func evidence(_ frame: Frame) -> [Evidence] {
        if let condition, (try? condition(frame).boolValue()) != true { return [] }
        guard let selected = try? records(frame) else { return [] }
        let chosen: [Value]
        switch selected {
        case .record: chosen = [selected]
        default: chosen = (try? selected.elements()) ?? []
        }
        return chosen.compactMap { element in
            guard case .record(let record) = element else { return nil }
            frame.variables[valueSlot] = element
            guard let value = try? self.value(frame), let evidenceValue = Evidence.Value(value) else { return nil }
            return Evidence(eventId: frame.eventId(record), type: record.kind.eventTypeValue, time: frame.time(record), field: field, value: evidenceValue)
        }
    }
}

extension Evidence.Value {
    init?(_ value: Value) {
        switch value {
        case .number(let number): self = .number(number)
        case .bool(let flag): self = .bool(flag)
        case .string(let text): self = .string(text)
        case .list(let values):
            var texts: [String] = []
            for case .string(let text) in values { texts.append(text) }
            guard texts.count == values.count else { return nil }
            self = .strings(texts)
        default: return nil
        }
    }
}

extension RecordKind {
    var eventTypeValue: EventType {
        switch self {
        case .craving: .craving
        case .checkin: .checkin
        case .appointment: .appointment
        }
    }
}
