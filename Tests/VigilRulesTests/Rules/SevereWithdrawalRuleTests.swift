import Foundation
import Testing
import VigilCore

@Suite struct SevereWithdrawalRuleTests {
    typealias Scale = Checkin.Withdrawal.Scale

    static func withdrawal(_ scale: Scale, _ score: Double, complicated: Bool = false) -> PatientEvent {
        Make.checkin(Checkin(withdrawal: .init(scale: scale, score: score, complicated: complicated)), at: 0)
    }

    @Test(arguments: [
        (Scale.ciwaAr, 9.0, nil), (.ciwaAr, 10, Severity.high), (.ciwaAr, 14, .high), (.ciwaAr, 14.5, .high),
        (.ciwaAr, 15, .critical), (.ciwaAr, 16, .critical),
        (.cows, 12, nil), (.cows, 13, .high), (.cows, 24, .high), (.cows, 25, .critical), (.cows, 30, .critical),
    ])
    func severityBands(scale: Scale, score: Double, expected: Severity?) throws {
        let match = try RuleHarness("severe-withdrawal").evaluate(Self.withdrawal(scale, score))
        #expect(match?.severity == expected)
    }

    @Test func highHasTwelveHourCooldownAndNamesBothThresholds() throws {
        let event = Self.withdrawal(.ciwaAr, 12)
        let match = try #require(try RuleHarness("severe-withdrawal").evaluate(event))
        #expect(match.severity == .high)
        #expect(match.cooldown == .hours(12))
        #expect(match.summary == "Withdrawal CIWA-Ar 12 (high from 10, critical from 15)")
        #expect(match.evidence == [
            Evidence(eventId: event.id, type: .checkin, time: event.time, field: "withdrawal.scale", value: .string("CIWA-Ar")),
            Evidence(eventId: event.id, type: .checkin, time: event.time, field: "withdrawal.score", value: .number(12)),
        ])
    }

    @Test func criticalHasNoCooldown() throws {
        let match = try #require(try RuleHarness("severe-withdrawal").evaluate(Self.withdrawal(.cows, 25)))
        #expect(match.severity == .critical)
        #expect(match.cooldown == 0)
        #expect(match.summary == "Withdrawal COWS 25 (critical from 25)")
    }

    @Test func complicatedIsCriticalWhateverTheScore() throws {
        let event = Self.withdrawal(.ciwaAr, 3, complicated: true)
        let match = try #require(try RuleHarness("severe-withdrawal").evaluate(event))
        #expect(match.severity == .critical)
        #expect(match.cooldown == 0)
        #expect(match.summary == "Complicated withdrawal (seizure, hallucinations or confusion) with CIWA-Ar 3 (critical whenever complicated, or from 15)")
        #expect(match.evidence.last == Evidence(eventId: event.id, type: .checkin, time: event.time, field: "withdrawal.complicated", value: .bool(true)))
    }

    @Test func configuredCooldownAppliesToHighOnly() throws {
        let rule = try RuleHarness("severe-withdrawal", ["cooldown": .string("6h")])
        #expect(rule.evaluate(Self.withdrawal(.cows, 13))?.cooldown == .hours(6))
        #expect(rule.evaluate(Self.withdrawal(.cows, 25))?.cooldown == 0)
    }

    @Test func configuredThresholds() throws {
        let rule = try RuleHarness("severe-withdrawal", ["ciwaArHigh": .number(8), "ciwaArCritical": .number(20)])
        #expect(rule.evaluate(Self.withdrawal(.ciwaAr, 8))?.severity == .high)
        #expect(rule.evaluate(Self.withdrawal(.ciwaAr, 19))?.severity == .high)
        #expect(rule.evaluate(Self.withdrawal(.ciwaAr, 20))?.summary == "Withdrawal CIWA-Ar 20 (critical from 20)")
    }

    @Test func checkinWithoutWithdrawalDoesNotFire() throws {
        #expect(try RuleHarness("severe-withdrawal").evaluate(Make.checkin(Checkin(mood: 2), at: 0)) == nil)
    }
}
