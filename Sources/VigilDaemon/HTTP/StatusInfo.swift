/// The static part of `/status`: what this daemon runs. No patient data.
public struct StatusInfo: Sendable {
    public var version: String
    public var ruleModule: String
    /// Each loaded rule's id, version and source (`module builtin`, or `FILE:LINE`), and whether it is in shadow mode.
    public var rules: [RuleSet.Description]
    /// A hash of the whole rule set: module, rule files and rule settings.
    public var ruleSetHash: String
    public var groupId: String

    public init(version: String, ruleSet: RuleSet, groupId: String) {
        self.version = version
        self.ruleModule = ruleSet.moduleName
        self.rules = ruleSet.rules
        self.ruleSetHash = ruleSet.hash
        self.groupId = groupId
    }
}
