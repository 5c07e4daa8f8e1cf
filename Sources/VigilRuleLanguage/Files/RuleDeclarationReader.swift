import Foundation
import VigilCore
import Yams

/// Reads one rule declaration and compiles its expressions in the order they may refer to each other: parameters,
/// checks, `let` bindings (each may read the ones before it), the precondition, then the tiers.
struct RuleDeclarationReader {
    static let keys: Set<String> = ["id", "version", "status", "description", "citations", "on", "cooldown", "lookback", "parameters", "checks", "when", "let", "tiers"]
    static let eventTypes: [String: RecordKind] = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { ($0.eventType, $0) })

    static func read(_ node: Node, in document: inout YAMLDocument) -> RuleDefinition? {
        let errorsBefore = document.diagnostics.count
        guard let members = document.members(node, what: "a rule", allowed: keys) else { return nil }
        var values: [String: Node] = [:]
        for member in members { values[member.key] = member.value }
        for required in ["id", "version", "description", "on", "cooldown", "tiers"] where values[required] == nil {
            document.problem(node, "a rule needs \(required)")
        }
        guard let idNode = values["id"], let id = document.string(idNode, what: "id") else { return nil }
        if id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            document.problem(idNode, "id must be lower-case letters, digits and hyphens, as craving-spike")
        }
        let version = values["version"].flatMap { document.integer($0, what: "version") } ?? 1
        if let versionNode = values["version"], version < 1 { document.problem(versionNode, "version must be 1 or more") }
        var status = RuleDefinition.Status.production
        if let statusNode = values["status"], let text = document.string(statusNode, what: "status") {
            if let parsed = RuleDefinition.Status(rawValue: text) { status = parsed } else { document.problem(statusNode, "status must be production or testing") }
        }
        let description = values["description"].flatMap { document.string($0, what: "description") } ?? ""
        let citations = values["citations"].flatMap { document.strings($0, what: "citations") } ?? []
        var kinds = RecordKinds()
        if let onNode = values["on"], let types = document.strings(onNode, what: "on") {
            for type in types {
                if let kind = eventTypes[type] { kinds.insert(RecordKinds(kind)) } else {
                    document.problem(onNode, "rules fire on \(eventTypes.keys.sorted().joined(separator: ", ")), not \(type)")
                }
            }
            if types.isEmpty { document.problem(onNode, "on must name at least one event type") }
        }
        let cooldown = values["cooldown"].flatMap { duration($0, what: "cooldown", in: &document) } ?? 0

        var parameters: [ParameterDeclaration] = []
        if let parametersNode = values["parameters"], let declared = document.members(parametersNode, what: "parameters") {
            for (name, keyNode, value) in declared {
                if !ExpressionCompiler.isDeclarableName(name) {
                    document.problem(keyNode, "\(name) cannot be a parameter name: use letters, digits and _, starting with a letter, and no reserved word")
                    continue
                }
                if ["enabled", "severity", "cooldown"].contains(name) {
                    document.problem(keyNode, "\(name) is a setting of every rule; choose another parameter name")
                    continue
                }
                if let parameter = ParameterReader.read(name, value, in: &document) { parameters.append(parameter) }
            }
        }
        var scope = CompilerScope(eventKinds: kinds.isEmpty ? [.craving, .checkin, .appointment] : kinds)
        for (index, parameter) in parameters.enumerated() { scope.parameters[parameter.name] = .init(index: index, type: parameter.type) }
        var checkCompiler = ExpressionCompiler(scope: scope)
        checkCompiler.scope.readsPatientData = false
        var compiler = ExpressionCompiler(scope: scope)

        var checks: [RuleDefinition.ParameterCheck] = []
        if let checksNode = values["checks"], let list = document.sequence(checksNode, what: "checks") {
            for checkNode in list {
                guard let check = document.members(checkNode, what: "a check", allowed: ["when", "parameter", "message"]) else { continue }
                let fields = Dictionary(check.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                guard let whenNode = fields["when"], let parameterNode = fields["parameter"], let messageNode = fields["message"] else {
                    document.problem(checkNode, "a check needs when, parameter and message")
                    continue
                }
                let parameter = document.string(parameterNode, what: "parameter") ?? ""
                if !parameters.contains(where: { $0.name == parameter }) { document.problem(parameterNode, "unknown parameter \(parameter)") }
                guard let condition = expression(whenNode, expecting: .bool, compiler: &checkCompiler, in: &document),
                    let message = document.string(messageNode, what: "message")
                else { continue }
                checks.append(.init(condition: condition, parameter: parameter, message: message))
            }
        }
        var lookback: WindowLength?
        if let lookbackNode = values["lookback"], let text = document.string(lookbackNode, what: "lookback") {
            do {
                lookback = try compiler.windowLength(try ExpressionParser.parse(text))
            } catch {
                document.problem(in: lookbackNode, offset: error.offset, error.message)
            }
        }

        // Type-check for every kind the rule fires on, reporting problems; then compile for each kind alone.
        _ = compileBody(values, compiler: &compiler, in: &document)
        if compiler.unwindowedHistoryReads > 0, values["lookback"] == nil {
            document.problem(node, "the rule reads a history other than through window, before or around: declare lookback, how much history it needs")
        }
        guard document.diagnostics.count == errorsBefore else { return nil }
        var bodies: [RuleDefinition.Body?] = Array(repeating: nil, count: RecordKind.allCases.count)
        for kind in kinds.kinds {
            var specialized = ExpressionCompiler(scope: scope)
            specialized.scope.eventKinds = RecordKinds(kind)
            specialized.scope.isSpecialized = true
            var scratch = document
            bodies[kind.position] = compileBody(values, compiler: &specialized, in: &scratch)
            if scratch.diagnostics.count != document.diagnostics.count {
                document.problem(node, "internal: the rule does not compile for \(kind.eventType) alone")
            }
        }
        guard document.diagnostics.count == errorsBefore else { return nil }
        return RuleDefinition(
            id: id, version: version, status: status, description: description, citations: citations,
            source: "\(document.file):\(node.mark?.line ?? 1)", line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, eventKinds: kinds, defaultCooldown: cooldown,
            parameters: parameters, checks: checks, explicitLookback: lookback, windowLengths: compiler.windowLengths,
            bodies: bodies, checkSlots: max(checkCompiler.variableSlots, 1)
        )
    }

    /// The `let` bindings (each may read the ones before it), the precondition and the tiers.
    static func compileBody(_ values: [String: Node], compiler: inout ExpressionCompiler, in document: inout YAMLDocument) -> RuleDefinition.Body {
        var lets: [Evaluator] = []
        if let letNode = values["let"], let bindings = document.members(letNode, what: "let") {
            for (name, keyNode, value) in bindings {
                if !ExpressionCompiler.isDeclarableName(name) || compiler.scope.lets[name] != nil {
                    document.problem(keyNode, "\(name) cannot be a let name: use letters, digits and _, starting with a letter, not a reserved or built-in name, once")
                    continue
                }
                guard let text = document.string(value, what: "a let binding") else { continue }
                compiler.slotBase = ExpressionCompiler.maximumComprehensionDepth * (lets.count + 1)
                defer { compiler.slotBase = 0 }
                do {
                    let compiled = try compiler.compile(text)
                    compiler.scope.lets[name] = .init(index: lets.count, type: compiled.type, constant: compiled.constant, inline: compiled.isDirectRead ? compiled : nil)
                    lets.append(compiled.evaluate)
                } catch {
                    document.problem(in: value, offset: error.offset, error.message)
                }
            }
        }
        let precondition = values["when"].flatMap { condition($0, compiler: &compiler, in: &document) }
        var tiers: [RuleDefinition.Tier] = []
        if let tiersNode = values["tiers"], let list = document.sequence(tiersNode, what: "tiers") {
            if list.isEmpty { document.problem(tiersNode, "a rule needs at least one tier") }
            for tierNode in list {
                if let tier = TierReader.read(tierNode, compiler: &compiler, in: &document) { tiers.append(tier) }
            }
        }
        return RuleDefinition.Body(precondition: precondition, lets: lets, tiers: tiers, variableSlots: max(compiler.variableSlots, 1))
    }

    static func expression(_ node: Node, expecting type: ExpressionType?, compiler: inout ExpressionCompiler, in document: inout YAMLDocument) -> Evaluator? {
        compiled(node, expecting: type, compiler: &compiler, in: &document)?.evaluate
    }

    /// A `when:` condition, as a typed boolean closure.
    static func condition(_ node: Node, compiler: inout ExpressionCompiler, in document: inout YAMLDocument) -> BoolEvaluator? {
        compiled(node, expecting: .bool, compiler: &compiler, in: &document)?.boolEvaluator
    }

    private static func compiled(_ node: Node, expecting type: ExpressionType?, compiler: inout ExpressionCompiler, in document: inout YAMLDocument) -> Compiled? {
        guard let text = document.string(node, what: "an expression") else { return nil }
        do {
            let syntax = try ExpressionParser.parse(text)
            return if let type { try compiler.compile(syntax, expecting: type) } else { try compiler.compile(syntax) }
        } catch {
            document.problem(in: node, offset: error.offset, error.message)
            return nil
        }
    }

    static func duration(_ node: Node, what: String, in document: inout YAMLDocument) -> TimeInterval? {
        guard let text = document.string(node, what: what) else { return nil }
        guard let seconds = DurationText.seconds(text) else {
            document.problem(node, "\(what) must be a duration such as 90s, 15m, 24h or 7d")
            return nil
        }
        return seconds
    }
}
