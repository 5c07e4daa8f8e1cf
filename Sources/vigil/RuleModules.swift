import VigilDaemon
import VigilExampleRules
import VigilRules

/// The rule modules built into this executable; `rules.module` picks one by name. To add a module, add its target
/// as a dependency of `vigil` and list it here: the daemon needs no change.
let ruleModules = RuleModuleRegistry([
    BuiltinRuleModule(),
    ExampleRuleModule(),
])
