import Testing
@testable import VigilDaemon

/// Inputs the `config-file` fuzz target found, each kept as the behaviour it showed to be wrong.
@Suite("Fuzz regressions: the configuration file")
struct ConfigurationFuzzRegressionTests {
    /// Found by `scripts/fuzz config-file`: with two problems in the `rules` section, which one was reported
    /// depended on a dictionary's iteration order, which differs from one dictionary to the next.
    @Test("a file with several problems reports the same one every time: the first in key order")
    func sameProblemEveryTime() {
        let yaml = """
            rules:
              zz-rule:
                highThreshold: {nested: map}
              moduel: builtin
              aa-rule:
                cooldown: {a: 1}
              mm-rule: 3
            """
        let messages = Set((0..<50).map { _ in Load.error(yaml: yaml)?.message ?? "accepted" })
        #expect(messages == ["rules.aa-rule.cooldown: must be a number, true/false, a string or a list"])
    }

    /// Found by `scripts/fuzz config-file`: a mapping key that is a list or a mapping is valid YAML, and Yams's
    /// conversion of such a tree stopped the process (a force unwrap in its constructor).
    @Test("a list or a mapping as a key is refused, not a crash", arguments: [
        "rules:\n ? [a, b]\n : 1\n",
        "kafka:\n  properties:\n    ? {a: 1}\n    : x\n",
        "? - x\n: y\n",
    ])
    func complexKeys(yaml: String) {
        #expect(Load.error(yaml: yaml) == ConfigurationError("the configuration file has a mapping key that is not a plain value (a list or a mapping as a key)"))
    }

    /// Found by `scripts/fuzz config-file` after 1.5 million inputs: Yams names a mapping's repeated keys in no fixed
    /// order, so the message (and the position it points at) could differ between two reads of the same file.
    @Test("repeated keys are named in sorted order, the same every time")
    func repeatedKeys() {
        let messages = Set((0..<50).map { _ in Load.error(yaml: "topics:\n  state: b\n  alerts: a\n  state: c\n  alerts: d\n")?.message ?? "accepted" })
        #expect(messages.count == 1)
        #expect(messages.first?.contains("alerts, state is given twice in one mapping") == true, "\(messages)")
    }
}
