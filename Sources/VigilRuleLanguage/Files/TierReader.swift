import Foundation
import VigilCore
import Yams

/// Reads a severity tier: `{severity, when, summary, evidence, cooldown, action}`. Tiers are tried in order; the
/// first whose `when` holds is the rule's match.
enum TierReader {
    static func read(_ node: Node, compiler: inout ExpressionCompiler, in document: inout YAMLDocument) -> RuleDefinition.Tier? {
        guard let members = document.members(node, what: "a tier", allowed: ["severity", "when", "summary", "evidence", "cooldown", "action"]) else { return nil }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let severityNode = fields["severity"], let whenNode = fields["when"], let summaryNode = fields["summary"] else {
            document.problem(node, "a tier needs severity, when and summary")
            return nil
        }
        var severity: Severity?
        if let text = document.string(severityNode, what: "severity") {
            severity = Severity(name: text)
            if severity == nil { document.problem(severityNode, "severity must be one of low, medium, high, critical") }
        }
        let condition = RuleDeclarationReader.condition(whenNode, compiler: &compiler, in: &document)
        var summary: SummaryTemplate?
        if let text = document.string(summaryNode, what: "summary") {
            do {
                summary = try SummaryTemplate(text, compiler: &compiler)
            } catch {
                document.problem(in: summaryNode, offset: error.offset, error.message)
            }
        }
        var evidence: [RuleDefinition.EvidenceSelector] = []
        if let evidenceNode = fields["evidence"], let list = document.sequence(evidenceNode, what: "evidence") {
            for entry in list {
                if let selector = evidenceSelector(entry, compiler: &compiler, in: &document) { evidence.append(selector) }
            }
        }
        let cooldown = fields["cooldown"].flatMap { RuleDeclarationReader.duration($0, what: "cooldown", in: &document) }
        let action = fields["action"].flatMap { document.string($0, what: "action") }
        guard let severity, let condition, let summary else { return nil }
        return RuleDefinition.Tier(severity: severity, condition: condition, summary: summary, evidence: evidence, cooldown: cooldown, action: action)
    }

    /// `{of: records, field: path, when: condition}`: `of` is a record or a list of records; `field` a path in their
    /// data, as `score` or `withdrawal.score`.
    private static func evidenceSelector(_ node: Node, compiler: inout ExpressionCompiler, in document: inout YAMLDocument) -> RuleDefinition.EvidenceSelector? {
        guard let members = document.members(node, what: "an evidence entry", allowed: ["of", "field", "when"]) else { return nil }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let ofNode = fields["of"], let fieldNode = fields["field"], let field = document.string(fieldNode, what: "field") else {
            document.problem(node, "an evidence entry needs of and field")
            return nil
        }
        guard let ofText = document.string(ofNode, what: "of") else { return nil }
        let path = field.split(separator: ".", omittingEmptySubsequences: false)
        guard !path.isEmpty, path.allSatisfy({ ExpressionCompiler.isDeclarableName(String($0)) }) else {
            document.problem(fieldNode, "field is a path of names in the records' data, as score or withdrawal.score")
            return nil
        }
        let records: Compiled
        do {
            records = try compiler.compile(ofText)
        } catch {
            document.problem(in: ofNode, offset: error.offset, error.message)
            return nil
        }
        let recordType: ExpressionType
        switch records.type {
        case .record: recordType = records.type
        case let type where type.elementType.map({ if case .record = $0 { true } else { false } }) == true: recordType = type.elementType!
        default:
            document.problem(ofNode, "of must be a record or a list of records, not \(records.type)")
            return nil
        }
        let valueAndSlot: (Evaluator, Int)?
        do {
            // `_` cannot start a declared name, so the variable never hides one.
            valueAndSlot = try compiler.withVariable("_record", recordType, at: 0) { (compiler: inout ExpressionCompiler, slot: Int) throws(ExpressionProblem) in
                let value = try compiler.compile("_record.data.\(field)")
                guard Evidence.Value.fits(value.type) else {
                    throw ExpressionProblem(offset: 0, message: "evidence is a number, bool, string or list of strings; \(field) is \(value.type)")
                }
                return (value.evaluate, slot)
            }
        } catch {
            document.problem(fieldNode, error.message.replacingOccurrences(of: "data of", with: "the data of"))
            valueAndSlot = nil
        }
        let condition = fields["when"].flatMap { RuleDeclarationReader.expression($0, expecting: .bool, compiler: &compiler, in: &document) }
        if fields["when"] != nil, condition == nil { return nil }
        guard let (value, slot) = valueAndSlot else { return nil }
        return .init(records: records.evaluate, field: field, value: value, valueSlot: slot, condition: condition)
    }
}

extension Evidence.Value {
    static func fits(_ type: ExpressionType) -> Bool {
        [.number, .bool, .string, .list(.string)].contains(type)
    }
}
