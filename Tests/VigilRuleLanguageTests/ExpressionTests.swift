import Foundation
import Testing
import VigilCore
@testable import VigilRuleLanguage

/// The expression language's operators, literals and types, evaluated on one event (CEL's semantics for the subset).
@Suite struct ExpressionTests {
    let craving = ExpressionHarness(event: Make.craving(7))
    /// A check-in without a mood, in a rule that fires on check-ins.
    let moodless = ExpressionHarness(event: Make.checkin(Checkin(stress: 4)))

    // MARK: Precedence

    @Test func multiplicationBindsTighterThanAdditionAndAdditionTighterThanEquality() throws {
        #expect(try craving.value("1 + 2 * 3 == 7") == true)
        #expect(try craving.value("(1 + 2) * 3") == 9)
    }

    @Test func notBindsTighterThanOrAndAndTighterThanOr() throws {
        #expect(try craving.value("!true || true") == true)
        #expect(try craving.value("true || false && false") == true)
    }

    @Test func subtractionAssociatesToTheLeft() throws {
        #expect(try craving.value("10 - 4 - 3") == 3)
        #expect(try craving.value("7 % 3") == 1)
    }

    // MARK: Errors and && ||

    @Test func anAbsentOptionalFieldReadAloneIsAnError() throws {
        let failure = try #require(try moodless.failure("event.data.mood > 3"))
        #expect(failure.message.contains("mood"))
        #expect(try moodless.failure("!(event.data.mood > 3)") != nil)
    }

    @Test func orIsTrueWhenEitherSideIsTrueEvenIfTheOtherFails() throws {
        #expect(try moodless.value("event.data.mood > 3 || true") == true)
        #expect(try moodless.value("true || event.data.mood > 3") == true)
    }

    @Test func andIsFalseWhenEitherSideIsFalseEvenIfTheOtherFails() throws {
        #expect(try moodless.value("false && event.data.mood > 3") == false)
        #expect(try moodless.value("event.data.mood > 3 && false") == false)
    }

    @Test func aDecidingSideKnownOnlyAtRunTimeAbsorbsTheOtherSidesFailure() throws {
        // Neither side folds: the run-time `&&` and `||` decide, in either order.
        #expect(try moodless.value("event.data.mood > 3 || event.data.stress > 0") == true)
        #expect(try moodless.value("event.data.stress > 0 || event.data.mood > 3") == true)
        #expect(try moodless.value("event.data.mood > 3 && event.data.stress > 9") == false)
        #expect(try moodless.value("event.data.stress > 9 && event.data.mood > 3") == false)
        #expect(try moodless.failure("event.data.mood > 3 || event.data.stress > 9") != nil)
        #expect(try moodless.failure("event.data.stress > 0 && event.data.mood > 3") != nil)
    }

    @Test func aFailureThatTheOtherSideDoesNotDecideRemainsAFailure() throws {
        #expect(try moodless.failure("event.data.mood > 3 || false") != nil)
        #expect(try moodless.failure("true && event.data.mood > 3") != nil)
    }

    @Test func hasTellsWhetherAnOptionalFieldIsPresent() throws {
        let withMood = ExpressionHarness(event: Make.checkin(Checkin(mood: 2)))
        #expect(try withMood.value("has(event.data.mood)") == true)
        #expect(try withMood.value("has(event.data.stress)") == false)
        #expect(try moodless.value("has(event.data.mood) && event.data.mood <= 3") == false)
    }

    @Test func hasOfAFieldThatTheEventsKindLacksIsFalse() throws {
        let either = ExpressionHarness(event: Make.craving(7), eventKinds: [.craving, .checkin])
        #expect(try either.value("has(event.data.mood)") == false)
        #expect(try either.value("has(event.data.score)") == true)
    }

    @Test func hasTakesAFieldSelection() throws {
        let problem = try #require(craving.problem("has(event)"))
        #expect(problem.offset == 0)
        #expect(problem.message.contains("field selection"))
    }

    // MARK: Conditionals, strings and lists

    @Test func aConditionalEvaluatesOnlyTheChosenBranch() throws {
        #expect(try craving.value("true ? 1 : [1][5]") == 1)
        #expect(try craving.value("false ? 'a' : 'b'") == "b")
    }

    @Test func anEmptyListJoinsTheTypeOfTheOtherBranch() throws {
        #expect(try craving.value("(true ? [] : [1, 2]).sum()") == 0)
        #expect(try craving.value("size(false ? [] : [1, 2])") == 2)
    }

    @Test func anEmptyListInTheElseBranchKeepsTheThenBranchsElementType() throws {
        // The join must not depend on the order of the branches: this is `(true ? [] : [1])[0] + 1` turned around.
        #expect(try craving.value("(true ? [1] : [])[0] + 1") == 2)
        #expect(try craving.value("(false ? cravings : []).map(c, c.data.score)") == [])
    }

    @Test func branchesOfDifferentTypesAreAProblemAtTheQuestionMark() throws {
        let text = "true ? 1 : 'one'"
        let problem = try #require(craving.problem(text))
        #expect(problem.offset == byteOffset(of: "?", in: text))
        #expect(problem.message.contains("one type"))
    }

    @Test func stringsConcatenate() throws {
        #expect(try craving.value("'vig' + \"il\"") == "vigil")
        #expect(try craving.value("string(2.5) + ' h'") == "2.5 h")
        #expect(try craving.value("size('it\\'s')") == 4)
    }

    @Test func listLiteralsIndexAndConcatenate() throws {
        #expect(try craving.value("[1, 2, 3]") == [1, 2, 3])
        #expect(try craving.value("[1, 2, 3][1]") == 2)
        #expect(try craving.value("[1] + [2, 3]") == [1, 2, 3])
    }

    @Test func listElementsMustHaveOneType() throws {
        let text = "[1, 'a']"
        #expect(craving.problem(text)?.offset == byteOffset(of: "'a'", in: text))
    }

    @Test func inTellsWhetherAListHoldsAValue() throws {
        #expect(try craving.value("2 in [1, 2]") == true)
        #expect(try craving.value("'c' in ['a', 'b']") == false)
        #expect(try craving.value("1 in []") == false)
        #expect(craving.problem("'a' in [1]")?.offset == 4)
    }

    @Test func anIndexOutOfRangeIsAnError() throws {
        let outOfRange = try #require(try craving.failure("[1, 2][2]"))
        #expect(outOfRange.message.contains("out of range"))
        #expect(try craving.failure("[1, 2][-1]") != nil)
        let fraction = try #require(try craving.failure("[1, 2][0.5]"))
        #expect(fraction.message.contains("whole number"))
    }

    @Test func divisionByZeroIsAnError() throws {
        let failure = try #require(try craving.failure("1 / 0"))
        #expect(failure.message.contains("division by zero"))
        #expect(try craving.failure("5 % 0") != nil)
        #expect(try craving.value("7 / 2") == 3.5)
        #expect(try craving.value("1 / 0 == 1 || true") == true)
    }

    // MARK: Time

    @Test func durationLiteralsAreWrittenInUnits() throws {
        #expect(try craving.value("duration('24h')") == .duration(.hours(24)))
        #expect(try craving.value("duration('24h') == duration('1d')") == true)
        #expect(try craving.value("string(duration('24h'))") == "24 h")
        #expect(try craving.value("string(duration('90m'))") == "90 min")
        #expect(try craving.value("string(duration('7d'))") == "7 days")
    }

    @Test func aDurationTakesOneValidStringLiteral() throws {
        let text = "duration('1x')"
        #expect(craving.problem(text)?.offset == byteOffset(of: "'1x'", in: text))
        #expect(craving.problem("duration(1)")?.offset == 0)
    }

    @Test func timestampsAndDurationsAddAndSubtract() throws {
        let event = Make.craving(7, at: .hours(10))
        let harness = ExpressionHarness(event: event)
        #expect(try harness.value("event.time - duration('1h')") == .timestamp(event.time - .hours(1)))
        #expect(try harness.value("duration('1h') + event.time == event.time + duration('60m')") == true)
        #expect(try harness.value("event.time - (event.time - duration('90m'))") == .duration(.minutes(90)))
        #expect(try harness.value("-duration('1h') < duration('0s')") == true)
        #expect(try harness.value("abs(-duration('2h')) == duration('2h')") == true)
    }

    @Test func twoTimestampsDoNotAdd() throws {
        #expect(craving.problem("event.time + event.time")?.offset == 11)
    }

    // MARK: Type errors at their offsets

    @Test func anOperatorOnMismatchedTypesIsAProblemAtTheOperator() throws {
        let problem = try #require(craving.problem("1 + 'a'"))
        #expect(problem.offset == 2)
        #expect(problem.message == "'+' does not apply to number and string")
        #expect(craving.problem("event.data.score >= 'high'")?.offset == 17)
    }

    @Test func anUnknownNameIsAProblemAtTheName() throws {
        #expect(craving.problem("score + 1") == ExpressionProblem(offset: 0, message: "unknown name score"))
        #expect(craving.problem("1 + score")?.offset == 4)
        #expect(craving.problem("frob(1)")?.message == "unknown function frob")
        #expect(craving.problem("event.nope")?.offset == 5)
    }

    @Test func aFieldThatNoKindOfTheRuleHasIsAProblemAtItsDot() throws {
        let text = "event.data.mood > 3"
        let problem = try #require(craving.problem(text))
        #expect(problem.offset == byteOffset(of: ".mood", in: text))
        #expect(problem.message == "data of craving has no field mood")
        #expect(ExpressionHarness(event: Make.checkin()).problem(text) == nil)
    }

    @Test func anUndeclaredParameterIsAProblem() throws {
        let problem = try #require(craving.problem("event.data.score >= params.threshold"))
        #expect(problem.offset == byteOffset(of: ".threshold", in: "event.data.score >= params.threshold"))
        #expect(problem.message.contains("unknown parameter threshold"))
        let declared = ExpressionHarness(event: Make.craving(7), parameters: [("threshold", .number(6))])
        #expect(try declared.value("event.data.score >= params.threshold") == true)
    }

    @Test func lexicalProblemsAreReportedAtTheirCharacter() throws {
        #expect(craving.problem("'abc") == ExpressionProblem(offset: 0, message: "unterminated string"))
        #expect(craving.problem("1 # 2")?.offset == 2)
        #expect(craving.problem("null")?.message == "unexpected 'null'")
        #expect(craving.problem("1 +")?.message == "unexpected end of expression")
    }
}
