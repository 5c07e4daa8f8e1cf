import Foundation
import Testing
import VigilCore
@testable import VigilRuleLanguage

/// The bounds on an expression's cost and nesting: whatever a rule file or a patient's history holds, the answer is
/// a problem at load or an error at evaluation, never a crash.
@Suite struct ExpressionLimitsTests {
    let harness = ExpressionHarness(event: Make.craving(5))

    /// A history of `count` cravings, the event the newest.
    static func history(of count: Int) -> ExpressionHarness {
        let earlier = (0..<count - 1).map { Make.craving(1, at: -Double(count - $0), id: "c\($0)") }
        return ExpressionHarness(event: Make.craving(5, id: "event"), before: earlier)
    }

    /// Just enough records that two nested comprehensions over them exceed the step budget.
    static let overBudget = Int(Double(Frame.stepBudget).squareRoot()) + 1

    @Test func nestedComprehensionsOverABigHistorySpendTheStepBudgetAndFail() throws {
        let failure = try #require(try Self.history(of: Self.overBudget).failure("cravings.all(a, cravings.all(b, true))"))
        #expect(failure.message.contains("step budget"))
    }

    @Test func nestedComprehensionsWithinTheBudgetComplete() throws {
        // 300 + 300 × 300 steps.
        #expect(try Self.history(of: 300).value("cravings.all(a, cravings.all(b, true))") == true)
    }

    @Test func aStepBudgetFailureIsAbsorbedLikeAnyOtherByADecidingSide() throws {
        #expect(try Self.history(of: Self.overBudget).value("cravings.all(a, cravings.all(b, true)) || true") == true)
    }

    static func parenthesised(_ depth: Int) -> String {
        String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
    }

    @Test func parenthesesNestUpToTheMaximumDepth() throws {
        #expect(try harness.value(Self.parenthesised(ExpressionParser.maximumDepth)) == 1)
        let problem = try #require(harness.problem(Self.parenthesised(ExpressionParser.maximumDepth + 1)))
        #expect(problem.message.contains("nested deeper than \(ExpressionParser.maximumDepth) levels"))
    }

    @Test func deeplyNestedInputIsAProblemNotAStackOverflow() throws {
        let depth = 100_000
        #expect(harness.problem(Self.parenthesised(depth)) != nil)
        #expect(harness.problem(String(repeating: "!", count: depth) + "true") != nil)
        #expect(harness.problem(String(repeating: "-", count: depth) + "1") != nil)
        #expect(harness.problem(String(repeating: "[", count: depth)) != nil)
        #expect(harness.problem(String(repeating: "size(", count: depth)) != nil)
    }

    @Test func aLongChainOfOperatorsIsRefusedOrEvaluatedWithoutExhaustingTheStack() throws {
        // The parser bounds nesting, but `1 + 1 + …` is a left-deep tree as deep as it is long: compiling,
        // evaluating and releasing it must not recurse once per operator, or a long line crashes the daemon.
        let terms = 100_000
        let text = Array(repeating: "1", count: terms).joined(separator: " + ")
        if harness.problem(text) == nil {
            #expect(try harness.value(text) == .number(Double(terms)))
        }
    }

    @Test func comprehensionsNestUpToTheMaximumDepth() throws {
        let three = "[1].all(a, [1].all(b, [1].all(c, true)))"
        #expect(try harness.value(three) == true)
        #expect(try harness.compile(three).compiler.variableSlots == ExpressionCompiler.maximumComprehensionDepth)

        let four = "[1].all(a, [1].all(b, [1].all(c, [1].all(d, true))))"
        let problem = try #require(harness.problem(four))
        #expect(problem.offset == byteOffset(of: "d, true", in: four))
        #expect(problem.message.contains("nest at most \(ExpressionCompiler.maximumComprehensionDepth) deep"))
    }

    @Test func siblingComprehensionsReuseTheirSlots() throws {
        let text = "[1, 2].map(x, x * 2).filter(y, y > 2).count(z, true)"
        #expect(try harness.value(text) == 1)
        #expect(try harness.compile(text).compiler.variableSlots == 1)
    }
}
