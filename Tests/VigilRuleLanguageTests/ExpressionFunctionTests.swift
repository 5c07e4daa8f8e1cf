import Foundation
import Testing
import VigilCore
@testable import VigilRuleLanguage

/// The aggregates, the list functions and the comprehension macros, on literal lists and on a patient's history.
@Suite struct ExpressionFunctionTests {
    let harness = ExpressionHarness(event: Make.craving(7))

    // MARK: Aggregates

    @Test func aggregatesOfNumbers() throws {
        #expect(try harness.value("[3, 1, 2].max()") == 3)
        #expect(try harness.value("[3, 1, 2].min()") == 1)
        #expect(try harness.value("[3, 1, 2].sum()") == 6)
        #expect(try harness.value("[3, 1, 2].avg()") == 2)
    }

    @Test func theMedianOfAnOddCountIsTheMiddleAndOfAnEvenCountTheMeanOfTheMiddleTwo() throws {
        #expect(try harness.value("[5, 1, 3].median()") == 3)
        #expect(try harness.value("[4, 1, 3, 2].median()") == 2.5)
    }

    @Test func theMaximumMinimumMeanAndMedianOfAnEmptyListAreErrorsButItsSumIsZero() throws {
        for name in ["max", "min", "avg", "median"] {
            let failure = try #require(try harness.failure("[].\(name)()"))
            #expect(failure.message.contains("empty"))
        }
        #expect(try harness.value("[].sum()") == 0)
    }

    @Test func risingMeansEachHigherThanTheOneBefore() throws {
        #expect(try harness.value("[1, 2, 5].rising()") == true)
        #expect(try harness.value("[1, 2, 2].rising()") == false)
        #expect(try harness.value("[3, 2].rising()") == false)
        #expect(try harness.value("[7].rising()") == true)
    }

    @Test func aggregatesApplyToNumbersOnly() throws {
        let text = "['a'].max()"
        #expect(harness.problem(text)?.offset == byteOffset(of: ".max", in: text))
    }

    // MARK: List functions

    @Test func lastAndFirstTakeUpToCountElementsFromTheirEnd() throws {
        #expect(try harness.value("[1, 2, 3].last(2)") == [2, 3])
        #expect(try harness.value("[1, 2, 3].first(2)") == [1, 2])
        #expect(try harness.value("[1].last(5)") == [1])
        #expect(try harness.value("[1, 2].first(0)") == [])
        #expect(try harness.failure("[1].last(-1)") != nil)
    }

    @Test func lastOfAHistoryIsItsNewestRecords() throws {
        let history = ExpressionHarness(
            event: Make.craving(7, id: "c3"), before: [Make.craving(1, at: -.hours(2), id: "c1"), Make.craving(2, at: -.hours(1), id: "c2")]
        )
        #expect(try history.value("cravings.last(2)") == .records("c2", "c3"))
        #expect(try history.value("cravings.first(1).map(c, c.data.score)") == [1])
    }

    @Test func historyRecordsReadTheirSubstanceWhetherCommonOrNot() throws {
        func craving(_ substance: String, at offset: TimeInterval, id: String) -> PatientEvent {
            Make.event(.craving(Craving(score: 3, substance: substance)), at: offset, id: id)
        }
        let history = ExpressionHarness(
            event: craving("alcohol", at: 0, id: "c4"),
            before: [craving("ketamine", at: -3, id: "c1"), craving("kratom", at: -2, id: "c2"), craving("salvia", at: -1, id: "c3")]
        )
        #expect(try history.value("cravings.map(c, c.data.substance)") == ["ketamine", "kratom", "salvia", "alcohol"])
    }

    @Test func distinctKeepsTheFirstOfEachValueInOrder() throws {
        #expect(try harness.value("[3, 1, 3, 2, 1].distinct()") == [3, 1, 2])
    }

    @Test func sortOrdersNumbersByValueAndStringsAlphabetically() throws {
        #expect(try harness.value("[2, 10, 1].sort()") == [1, 2, 10])
        #expect(try harness.value("['b', 'c', 'a'].sort()") == ["a", "b", "c"])
    }

    @Test func flattenJoinsListsOfLists() throws {
        #expect(try harness.value("[[1], [2, 3]].flatten()") == [1, 2, 3])
        #expect(harness.problem("[1].flatten()") != nil)
    }

    @Test func joinWritesStringsWithASeparator() throws {
        #expect(try harness.value("['a', 'b'].join(', ')") == "a, b")
        #expect(try harness.value("[].join('-')") == "")
        #expect(harness.problem("[1].join(',')") != nil)
    }

    @Test func reverseTurnsAListAround() throws {
        #expect(try harness.value("[1, 2, 3].reverse()") == [3, 2, 1])
    }

    // MARK: Macros

    @Test func allAndExists() throws {
        #expect(try harness.value("[1, 2].all(x, x > 0)") == true)
        #expect(try harness.value("[1, -2].all(x, x > 0)") == false)
        #expect(try harness.value("[1, 2].exists(x, x == 2)") == true)
        #expect(try harness.value("[1, 2].exists(x, x == 3)") == false)
    }

    @Test func existsAndAllStopAtTheDecidingElementButAFailureBeforeItFailsTheMacro() throws {
        // Unlike CEL, which would absorb the failure (docs/RULE-LANGUAGE.md, "Differences from CEL").
        let failingFirst = ExpressionHarness(
            event: Make.checkin(Checkin(mood: 7), id: "with-mood"), before: [Make.checkin(Checkin(), at: -.hours(1), id: "no-mood")]
        )
        #expect(try failingFirst.failure("checkins.exists(c, c.data.mood > 5)") != nil)
        let decidingFirst = ExpressionHarness(
            event: Make.checkin(Checkin(), id: "no-mood"), before: [Make.checkin(Checkin(mood: 7), at: -.hours(1), id: "with-mood")]
        )
        #expect(try decidingFirst.value("checkins.exists(c, c.data.mood > 5)") == true)
        #expect(try decidingFirst.value("checkins.all(c, c.data.mood < 5)") == false)
    }

    @Test func filterMapAndCount() throws {
        #expect(try harness.value("[1, 2, 3].filter(x, x > 1)") == [2, 3])
        #expect(try harness.value("[1, 2].map(x, x * 10)") == [10, 20])
        #expect(try harness.value("[1, 2, 3].count(x, x >= 2)") == 2)
    }

    @Test func maxByAndMinByReturnTheElementWithTheExtremeKey() throws {
        #expect(try harness.value("[1, 3, 2].maxBy(x, x)") == 3)
        #expect(try harness.value("[2, 1, 3].minBy(x, x)") == 1)
    }

    @Test func maxByAndMinByTakeTheLastElementOnATie() throws {
        #expect(try harness.value("['bb', 'aa', 'c'].maxBy(s, size(s))") == "aa")
        #expect(try harness.value("['c', 'bb', 'd'].minBy(s, size(s))") == "d")
    }

    @Test func maxByOfAHistoryTakesTheNewestOnATie() throws {
        let history = ExpressionHarness(
            event: Make.craving(9, id: "newest"), before: [Make.craving(7, at: -.hours(2), id: "low"), Make.craving(9, at: -.hours(1), id: "older")]
        )
        #expect(try history.value("cravings.maxBy(c, c.data.score)") == .record("newest"))
        #expect(try history.failure("cravings.filter(c, c.data.score > 10).maxBy(c, c.data.score)") != nil)
    }

    @Test func aKeyThatIsNotANumberNeverWinsMaxByEvenAsTheFirstElement() throws {
        // 10 × (a number near Double's maximum) overflows to infinity; infinity minus itself is not a number.
        let big = String(repeating: "9", count: 308)
        #expect(try harness.value("[1, 2].maxBy(x, x == 1 ? \(big) * 10 - \(big) * 10 : x)") == 2)
    }

    @Test func sinceLastKeepsTheElementsAfterTheLastOneThatHolds() throws {
        #expect(try harness.value("[1, 5, 2, 5, 3, 4].sinceLast(x, x == 5)") == [3, 4])
        #expect(try harness.value("[1, 2].sinceLast(x, x == 5)") == [1, 2])
        #expect(try harness.value("[1, 5].sinceLast(x, x == 5)") == [])
    }

    @Test func aMacroVariableMustNotShadowAnotherName() throws {
        let text = "[1].all(x, [2].all(x, true))"
        #expect(harness.problem(text)?.offset == byteOffset(of: "x, true", in: text))
        #expect(harness.problem("[1].all(event, true)")?.message.contains("already a name") == true)
    }

    @Test func aPredicateMustBeABool() throws {
        let text = "[1].all(x, x + 1)"
        #expect(harness.problem(text) == ExpressionProblem(offset: byteOffset(of: "+", in: text), message: "expected bool, found number"))
    }
}
