/// The static part of `/status`: what this daemon runs. No patient data.
public struct StatusInfo: Sendable {
    public var version: String
    public var ruleModule: String
    public var rules: [(id: String, version: Int)]
    public var groupId: String

    public init(version: String, ruleModule: String, rules: [(id: String, version: Int)], groupId: String) {
        self.version = version
        self.ruleModule = ruleModule
        self.rules = rules
        self.groupId = groupId
    }
}
