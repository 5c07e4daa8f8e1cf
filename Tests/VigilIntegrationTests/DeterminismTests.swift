import Foundation
import Testing

extension IntegrationTests {
    @Suite("Deterministic results: live, from a backlog, the same alerts")
    struct DeterminismTests {
        /// Two patients whose risk shows only when check-ins and cravings are read together in event time: S-1
        /// checks in (low mood, short sleep) before a craving, S-2 craves before such a check-in.
        static func story(at base: Date) -> [(topic: String, key: String, value: String)] {
            let lowMoodShortSleep = #""mood":2,"sleepHours":4"#
            return [
                ("patient.checkins", "S-1", Events.checkin(id: "s1-checkin", patient: "S-1", at: base, data: lowMoodShortSleep)),
                ("patient.cravings", "S-2", Events.craving(7, id: "s2-craving", patient: "S-2", at: base)),
                ("patient.cravings", "S-1", Events.craving(7, id: "s1-craving", patient: "S-1", at: base.addingTimeInterval(1800))),
                ("patient.checkins", "S-2", Events.checkin(id: "s2-checkin", patient: "S-2", at: base.addingTimeInterval(1800), data: lowMoodShortSleep)),
            ]
        }

        static func alertSignatures(_ kcat: Kcat) throws -> Set<String> {
            Set(try DurableStateTests.alerts(kcat).map { alert in
                ["alertId", "rule", "severity", "status"].map { "\(alert[$0] ?? "")" }.joined(separator: " ")
            })
        }

        @Test("one story processed live and replayed from a backlog (one topic published wholly before the other) yields the same alerts")
        func liveVersusBacklog() async throws {
            let base = Date().addingTimeInterval(-2 * 3600)
            let story = Self.story(at: base)
            var live: Set<String> = []
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let daemon = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-live"))
                try await daemon.waitForReadiness()
                // Live: each event as it happens, processed before the next one arrives.
                for event in story {
                    try kcat.produce(topic: event.topic, [(event.key, event.value)], headers: Events.structured)
                    #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-live", topics: [event.topic]))
                }
                live = try Self.alertSignatures(kcat)
            }
            var backlog: Set<String> = []
            try await withBroker { broker, cleanup in
                let kcat = Kcat(bootstrap: broker.bootstrap)
                // Backlog: all cravings, then all check-ins, published before the daemon starts.
                for topic in ["patient.cravings", "patient.checkins"] {
                    try kcat.produce(topic: topic, story.filter { $0.topic == topic }.map { ($0.key, $0.value) }, headers: Events.structured)
                }
                // The merge holds events back for a partition with unfetched data for at most processing.maxIdle
                // (500 ms), then goes ahead without it: on a loaded machine the first fetch of one topic can come
                // later than that, so the backlog run waits as long as it takes (the bound is tested on its own
                // in EventTimeMergeTests).
                let daemon = cleanup.daemon(try Daemon(broker: broker, groupId: "vigil-backlog", environment: ["VIGIL_MAX_IDLE": "60s"]))
                try await daemon.waitForReadiness()
                #expect(try await Offsets.waitUntilCommittedToEnd(kcat, groupId: "vigil-backlog", topics: ["patient.cravings", "patient.checkins"]))
                backlog = try Self.alertSignatures(kcat)
            }
            #expect(live.contains { $0.contains("combined-risk high") }, "the story should raise combined-risk high: \(live)")
            #expect(backlog == live)
        }
    }
}
