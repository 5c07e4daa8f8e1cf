import VigilDaemon
import VigilExampleRules
import VigilRules

/// The rule modules the executable offers.
enum Modules {
    static let registry = RuleModuleRegistry([BuiltinRuleModule(), ExampleRuleModule()])

    /// The builtin module's rules in priority order (CLINICAL.md).
    static let builtinRuleIds = [
        "suicidal-ideation", "severe-withdrawal", "help-request", "polysubstance", "substance-use",
        "craving-spike", "combined-risk", "rising-craving", "cue-exposure", "missed-appointments",
    ]
}
