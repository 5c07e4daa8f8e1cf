import Foundation
import Testing
@testable import VigilDaemon

@Suite("Backpressure with hysteresis")
struct BackpressureTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    var settings: ProcessingSettings {
        var settings = ProcessingSettings(inputTopics: ["in"], alertsTopic: "out", deadLetterTopic: "dlq", shutdownTimeout: 5)
        settings.maxAwaitingDelivery = 100
        settings.maxAwaitingBytes = 1_000_000
        settings.maxHoldBeforePause = 10
        return settings
    }

    @Test("holds at the bound, takes input again only at half of it, pauses only after a long hold")
    func hysteresis() {
        var backpressure = Backpressure()
        #expect(backpressure.update(awaiting: 99, bytes: 0, settings: settings, now: start) == .flowing)
        #expect(backpressure.update(awaiting: 100, bytes: 0, settings: settings, now: start) == .holding)
        #expect(backpressure.update(awaiting: 70, bytes: 0, settings: settings, now: start.addingTimeInterval(1)) == .holding)
        #expect(backpressure.update(awaiting: 70, bytes: 0, settings: settings, now: start.addingTimeInterval(10)) == .pausing)
        #expect(backpressure.update(awaiting: 50, bytes: 0, settings: settings, now: start.addingTimeInterval(11)) == .flowing)
        #expect(backpressure.update(awaiting: 10, bytes: 1_000_000, settings: settings, now: start.addingTimeInterval(12)) == .holding)
    }
}
