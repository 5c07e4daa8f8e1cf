import Foundation
import VigilCore

/// A seeded synthetic caseload with known risk episodes, for measuring what a care team's phone would do: daily
/// check-ins and three cravings a day, calm most of the time, with two-day risk episodes of rising craving, low
/// mood, short sleep, cue exposure, lapses, withdrawal and, rarely, suicidal ideation (CLINICAL.md's risk factors).
/// The same seed always gives the same events.
public struct SyntheticCohort: Sendable {
    /// A two-day risk episode: what the care team should hear about.
    public struct Episode: Sendable, Equatable {
        public var patientId: String
        public var start: Date
        /// The episode's two days end here; its consequences (a missed check-in) may alert up to a day later.
        public var end: Date

        /// A day before the episode to a day after it: what "within a day of it" means for pages.
        public var span: Range<Date> { start.addingTimeInterval(-86_400)..<end.addingTimeInterval(86_400) }
    }

    /// An event that calls for a critical page at that event (suicidal ideation, complicated withdrawal, opioid or
    /// ketamine with a sedative).
    public struct CriticalEvent: Sendable, Equatable {
        public var patientId: String
        public var eventId: String
        public var time: Date
    }

    public let patients: Int
    public let days: Int
    public let start: Date
    /// Every event, in event-time order.
    public private(set) var events: [PatientEvent] = []
    public private(set) var episodes: [Episode] = []
    public private(set) var criticalEvents: [CriticalEvent] = []

    public static let defaultStart = Date(timeIntervalSince1970: 1_772_409_600)  // 2026-03-02T00:00:00Z

    public init(patients: Int = 300, days: Int = 28, seed: UInt64 = 1, start: Date = Self.defaultStart) {
        precondition(patients > 0 && days > 0, "a cohort needs patients and days")
        self.patients = patients
        self.days = days
        self.start = start
        var random = SplitMix64(seed: seed)
        for index in 1...patients {
            generatePatient("cohort-\(index)", random: &random)
        }
        events.sort { $0.time < $1.time }
    }

    /// The days of each patient's episodes: about one episode per patient over four weeks, never overlapping, each
    /// followed by at least one calm day.
    private static func episodeDays(days: Int, random: inout SplitMix64) -> [Int] {
        let roll = Int.random(in: 0..<100, using: &random)
        let wanted = roll < 25 ? 0 : roll < 70 ? 1 : roll < 95 ? 2 : 3
        var chosen: [Int] = []
        var attempts = 0
        while chosen.count < wanted, days >= 6, attempts < 50 {
            attempts += 1
            let day = Int.random(in: 2...(days - 4), using: &random)
            if chosen.allSatisfy({ abs($0 - day) >= 4 }) { chosen.append(day) }
        }
        return chosen.sorted()
    }

    private mutating func generatePatient(_ patientId: String, random: inout SplitMix64) {
        var sequence = 0
        func add(_ time: Date, _ payload: PatientEvent.Payload) -> String {
            sequence += 1
            let id = "\(patientId)-\(sequence)"
            events.append(PatientEvent(id: id, source: "cohort://synthetic", time: time, patientId: patientId, payload: payload))
            return id
        }
        func at(_ day: Int, hour: Double, jitterMinutes: Double) -> Date {
            let jitter = Double.random(in: -jitterMinutes...jitterMinutes, using: &random) * 60
            return start.addingTimeInterval(Double(day) * 86_400 + hour * 3600 + jitter)
        }
        _ = add(start, .enrollment(Enrollment(status: .active, checkinEveryHours: 24)))
        let episodeDays = Self.episodeDays(days: days, random: &random)
        for day in episodeDays {
            let episodeStart = start.addingTimeInterval(Double(day) * 86_400)
            episodes.append(Episode(patientId: patientId, start: episodeStart, end: episodeStart.addingTimeInterval(2 * 86_400)))
        }
        for day in 0..<days {
            let episodeDay = episodeDays.firstIndex { day == $0 || day == $0 + 1 }.map { day - episodeDays[$0] }
            let cravings: [Double]
            switch episodeDay {
            // An episode opens with a craving spike in the morning and stays high into the next day.
            case 0?: cravings = [Int.random(in: 8...9, using: &random), Int.random(in: 6...7, using: &random), Int.random(in: 7...9, using: &random)].map(Double.init)
            case 1?: cravings = (0..<3).map { _ in Double(Int.random(in: 7...9, using: &random)) }
            default:
                // A calm day; now and then a lone strong craving, which is worth a page on its own.
                cravings = (0..<3).map { _ in Double.random(in: 0..<1, using: &random) < 0.004 ? 8 : Double(Int.random(in: 1...4, using: &random)) }
            }
            for (slot, hour) in [9.0, 14, 19].enumerated() {
                _ = add(at(day, hour: hour, jitterMinutes: 45), .craving(Craving(score: cravings[slot], substance: "ketamine")))
            }
            let checkinTime = at(day, hour: 20.5, jitterMinutes: 30)
            switch episodeDay {
            case 0?:
                let checkin = Checkin(
                    mood: Int.random(in: 2...3, using: &random), stress: Int.random(in: 7...8, using: &random),
                    sleepHours: Double(Int.random(in: 35...48, using: &random)) / 10,
                    cueExposure: Double.random(in: 0..<1, using: &random) < 0.5)
                _ = add(checkinTime, .checkin(checkin))
            case 1?:
                // Some patients fall silent in an episode: the missed check-in is part of it.
                guard Double.random(in: 0..<1, using: &random) >= 0.15 else { continue }
                var checkin = Checkin(mood: Int.random(in: 2...4, using: &random), stress: Int.random(in: 6...8, using: &random), sleepHours: 4.5)
                var critical = false
                if Double.random(in: 0..<1, using: &random) < 0.4 {
                    let polysubstance = Double.random(in: 0..<1, using: &random) < 0.15
                    checkin.substanceUse = .init(used: true, substances: polysubstance ? ["ketamine", "alcohol"] : ["ketamine"])
                    critical = critical || polysubstance
                }
                if Double.random(in: 0..<1, using: &random) < 0.15 {
                    let complicated = Double.random(in: 0..<1, using: &random) < 0.2
                    checkin.withdrawal = .init(scale: .ciwaAr, score: Double(Int.random(in: 10...14, using: &random)), complicated: complicated)
                    critical = critical || complicated
                }
                if Double.random(in: 0..<1, using: &random) < 0.06 {
                    checkin.phq9Item9 = 1
                    critical = true
                }
                if Double.random(in: 0..<1, using: &random) < 0.1 { checkin.helpRequested = true }
                let id = add(checkinTime, .checkin(checkin))
                if critical { criticalEvents.append(CriticalEvent(patientId: patientId, eventId: id, time: checkinTime)) }
            default:
                // Calm: now and then a forgotten check-in or a cue without craving.
                guard Double.random(in: 0..<1, using: &random) >= 0.02 else { continue }
                let checkin = Checkin(
                    mood: Int.random(in: 5...8, using: &random), stress: Int.random(in: 2...5, using: &random),
                    sleepHours: Double(Int.random(in: 60...85, using: &random)) / 10,
                    cueExposure: Double.random(in: 0..<1, using: &random) < 0.03)
                _ = add(checkinTime, .checkin(checkin))
            }
        }
    }

    /// Whether a patient's instant is "within a day of" one of their episodes: from a day before it starts (a
    /// page just before an episode opens the group its alerts join) to a day after it ends (a check-in missed in it
    /// alerts then). Pages in that span count for the episode, and the span is not a calm day.
    public func isEpisodeTime(patientId: String, _ time: Date) -> Bool {
        episodes.contains { $0.patientId == patientId && $0.span.contains(time) }
    }
}
