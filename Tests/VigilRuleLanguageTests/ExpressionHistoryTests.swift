import Foundation
import Testing
import VigilCore
@testable import VigilRuleLanguage

/// The windowed functions of a patient's history, with records exactly at the boundaries: `window(d)` is
/// (t − d, t], `before(d)` is (t − d, t), `around(d)` is [t − d, t + d], where t is the triggering event's time.
@Suite struct ExpressionHistoryTests {
    /// Cravings around an event at time 0; "same" is at the event's instant and arrived before it; the three after
    /// it arrived early (late in event time).
    static let boundaries = ExpressionHarness(
        event: Make.craving(5, id: "event"),
        before: [
            Make.craving(1, at: -.hours(24) - 1, id: "older"),
            Make.craving(1, at: -.hours(24), id: "edge"),
            Make.craving(1, at: -.hours(24) + 1, id: "inside"),
            Make.craving(1, at: -1, id: "justBefore"),
            Make.craving(1, at: 0, id: "same"),
            Make.craving(1, at: 1, id: "after"),
            Make.craving(1, at: .hours(24), id: "farEdge"),
            Make.craving(1, at: .hours(24) + 1, id: "beyond"),
        ]
    )

    @Test func windowExcludesTheRecordExactlyALengthEarlierAndIncludesTheEventsInstant() throws {
        #expect(try Self.boundaries.value("cravings.window(duration('24h'))") == .records("inside", "justBefore", "same", "event"))
    }

    @Test func beforeExcludesBothEnds() throws {
        #expect(try Self.boundaries.value("cravings.before(duration('24h'))") == .records("inside", "justBefore"))
    }

    @Test func aroundIncludesBothEnds() throws {
        let expected = PlainValue.records("edge", "inside", "justBefore", "same", "event", "after", "farEdge")
        #expect(try Self.boundaries.value("cravings.around(duration('24h'))") == expected)
    }

    @Test func throughEventStopsAtTheTriggeringEvent() throws {
        #expect(try Self.boundaries.value("cravings.throughEvent()") == .records("older", "edge", "inside", "justBefore", "same", "event"))
    }

    @Test func throughEventLeavesOutARecordAtTheSameInstantThatArrivedAfterTheEvent() throws {
        let harness = ExpressionHarness(event: Make.craving(5, id: "event"), after: [Make.craving(1, id: "sameLater")])
        #expect(try harness.value("cravings.throughEvent()") == .records("event"))
        #expect(try harness.value("cravings.window(duration('1h'))") == .records("event", "sameLater"))
    }

    @Test func throughEventOfAnotherKindKeepsTheRecordsUpToTheEventsInstant() throws {
        let harness = ExpressionHarness(
            event: Make.craving(5, id: "event"),
            before: [Make.checkin(at: -.hours(1), id: "earlier"), Make.checkin(at: 0, id: "same"), Make.checkin(at: .hours(1), id: "later")]
        )
        #expect(try harness.value("checkins.throughEvent()") == .records("earlier", "same"))
    }

    @Test func aWindowsLengthMayBeADurationParameter() throws {
        var harness = Self.boundaries
        harness.parameters = [("window", .duration(.hours(1)))]
        #expect(try harness.value("cravings.window(params.window)") == .records("justBefore", "same", "event"))
    }

    @Test func aWindowsLengthMustBeADurationParameterOrLiteral() throws {
        let computed = "cravings.window(duration('1h') + duration('1h'))"
        let problem = try #require(Self.boundaries.problem(computed))
        #expect(problem.offset == byteOffset(of: "+", in: computed))
        #expect(problem.message.contains("a window's length is a duration parameter or literal"))

        var numeric = Self.boundaries
        numeric.parameters = [("hours", .number(2))]
        let text = "cravings.window(params.hours)"
        #expect(numeric.problem(text)?.offset == byteOffset(of: ".hours", in: text))
    }

    @Test func theCompilerRecordsEveryWindowLengthForTheLookback() throws {
        var harness = Self.boundaries
        harness.parameters = [("window", .duration(.hours(1)))]
        let compiled = try harness.compile("size(cravings.window(params.window)) + size(checkins.around(duration('2d')))")
        #expect(compiled.compiler.windowLengths == [.parameter(0), .seconds(.days(2))])
    }

    @Test func windowedFunctionsApplyToAHistoryOnly() throws {
        let text = "[1].window(duration('1h'))"
        let problem = try #require(Self.boundaries.problem(text))
        #expect(problem.message.contains("unknown function window"))
    }

    @Test func aWindowIsMeasuredFromTheEventNotFromTheNewestRecord() throws {
        // The newest craving lies a day after the event: the window still ends at the event ("justBefore" lies
        // exactly one second earlier, so outside).
        #expect(try Self.boundaries.value("cravings.window(duration('1s'))") == .records("same", "event"))
    }
}
