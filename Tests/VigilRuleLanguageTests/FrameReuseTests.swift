import Foundation
import Testing
import VigilCore
@testable import VigilRuleLanguage

/// A rule reuses one frame for every event (`FramePool`): nothing computed for one event may leak into the next.
@Suite struct FrameReuseTests {
    static let yaml = """
        rules:
          - id: doubled
            version: 1
            description: A craving whose doubled score reaches 10.
            on: [care.craving.v1]
            cooldown: 0s
            let:
              score: event.data.score
              doubled: score * 2
              earlier: cravings.before(duration('1d')).map(c, c.data.score)
            tiers:
              - severity: medium
                when: doubled >= 10
                summary: "doubled {{ doubled }}, {{ size(earlier) }} earlier"
        """

    @Test func letBindingsAreComputedAfreshForEachEvent() throws {
        let rule = try #require(try RuleFiles.rules(Self.yaml).first)
        let first = Make.craving(6, at: 0, id: "c1")
        let second = Make.craving(2, at: 60, id: "c2")
        let third = Make.craving(7, at: 120, id: "c3")
        #expect(rule.evaluate(first, history: Make.history([first]))?.summary == "doubled 12, 0 earlier")
        // Were `doubled` kept from the first event, this one (4) would match as 12.
        #expect(rule.evaluate(second, history: Make.history([first, second])) == nil)
        #expect(rule.evaluate(third, history: Make.history([first, second, third]))?.summary == "doubled 14, 2 earlier")
    }
}
