import Foundation
import VigilCore

/// A seeded cohort that exercises every built-in rule: daily check-ins with every optional field now and then,
/// three cravings a day with rising runs and spikes, weekly appointments, substance reports across the opioid and
/// sedative lists, rare withdrawal and self-harm answers; some events late, some at the same instant as another,
/// some sent twice, some acknowledgements. Each patient's events come in arrival order.
struct MixedCohort {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let source = "test://cohort"
    static let substances = ["alcohol", "heroin", "ketamine", "cocaine", "cannabis", "diazepam", "fentanyl", "methamphetamine"]

    let patients: Int
    let days: Int
    let seed: UInt64

    /// One patient's events in arrival order; `acknowledge` is asked for the alert to acknowledge when one is due.
    func events(patient index: Int) -> [PatientEvent] {
        var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        let patientId = "P-\(index)"
        var events: [PatientEvent] = []
        var number = 0
        func add(_ payload: PatientEvent.Payload, at time: Date) {
            number += 1
            events.append(PatientEvent(id: "e-\(index)-\(number)", source: Self.source, time: time, patientId: patientId, payload: payload))
        }
        var craving = Double.random(in: 0...4, using: &random).rounded()
        for day in 0..<days {
            let morning = Self.start.addingTimeInterval(Double(day) * 86_400 + Double(Int.random(in: 0..<7200, using: &random)))
            for slot in 0..<3 {
                // A random walk with occasional jumps: runs, spikes and calm stretches.
                craving += Double(Int.random(in: -2...2, using: &random))
                if Int.random(in: 0..<20, using: &random) == 0 { craving = Double(Int.random(in: 6...10, using: &random)) }
                craving = min(10, max(0, craving))
                add(.craving(Craving(score: craving)), at: morning.addingTimeInterval(Double(slot) * 5 * 3600))
            }
            if Int.random(in: 0..<10, using: &random) > 0 {
                add(.checkin(checkin(&random)), at: morning.addingTimeInterval(3 * 3600))
            }
            if day % 7 == Int(index % 7) || Int.random(in: 0..<15, using: &random) == 0 {
                let statuses: [Appointment.Status] = [.attended, .missed, .missed, .cancelled]
                add(.appointment(Appointment(status: statuses.randomElement(using: &random)!)), at: morning.addingTimeInterval(4 * 3600))
            }
            if Int.random(in: 0..<25, using: &random) == 0, let last = events.last {
                // Another event at the same instant.
                add(.craving(Craving(score: Double(Int.random(in: 0...10, using: &random)))), at: last.time)
            }
        }
        // Late arrivals: swap some neighbours; duplicates: send some events again.
        for position in stride(from: 1, to: events.count, by: 1) where Int.random(in: 0..<15, using: &random) == 0 {
            events.swapAt(position - 1, position)
        }
        var arrival: [PatientEvent] = []
        for event in events {
            arrival.append(event)
            if Int.random(in: 0..<40, using: &random) == 0 { arrival.append(event) }
        }
        return arrival
    }

    private func checkin(_ random: inout SplitMix64) -> Checkin {
        func sometimes(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
        var checkin = Checkin()
        if sometimes(70) { checkin.mood = Int.random(in: 0...10, using: &random) }
        if sometimes(70) { checkin.stress = Int.random(in: 0...10, using: &random) }
        if sometimes(70) { checkin.sleepHours = Double(Int.random(in: 4...18, using: &random)) / 2 }
        if sometimes(15) {
            let count = Int.random(in: 0...2, using: &random)
            checkin.substanceUse = .init(used: sometimes(85), substances: (0..<count).map { _ in Self.substances.randomElement(using: &random)! })
        }
        if sometimes(12) { checkin.cueExposure = sometimes(70) }
        if sometimes(5) {
            let ciwa = sometimes(50)
            checkin.withdrawal = .init(scale: ciwa ? .ciwaAr : .cows, score: Double(Int.random(in: 0...(ciwa ? 25 : 35), using: &random)), complicated: sometimes(10))
        }
        if sometimes(6) { checkin.phq9Item9 = Int.random(in: 0...3, using: &random) }
        if sometimes(3) { checkin.helpRequested = sometimes(80) }
        return checkin
    }
}
