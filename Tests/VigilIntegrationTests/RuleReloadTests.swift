import Foundation
import Testing

/// Rule files in the running daemon: loading beside `rules.module: none`, a refused start-up, hot reload by SIGHUP
/// and by `POST /-/reload`, and what a reload keeps. Driven through CONTRACT.md's surface with kcat.
@Suite("Rule files: loading, hot reload and shadow mode", .serialized)
struct RuleReloadTests {
    static func ruleFile(threshold: Int, version: Int = 1, extra: String = "") -> String {
        """
        rules:
          - id: strong-craving
            version: \(version)
            description: A craving at or above the threshold.
            on: [care.craving.v1]
            cooldown: 24h
            parameters:
              threshold: {type: number, default: \(threshold), min: 0, max: 10, description: The lowest score that alerts}
            tiers:
              - severity: high
                when: event.data.score >= params.threshold
                summary: "Craving {{ event.data.score }}/10 (threshold {{ params.threshold }})"
                evidence:
                  - {of: event, field: score}
        \(extra)
        """
    }

    static let shadowRule = """
          - id: moderate-craving
            version: 1
            status: testing
            description: A candidate rule, counted before it may page anyone.
            on: [care.craving.v1]
            cooldown: 0s
            tiers:
              - severity: medium
                when: event.data.score >= 5
                summary: "Craving {{ event.data.score }}/10"
        """

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("a bad rule file refuses start-up with exit 64 and every problem as FILE:LINE:COLUMN")
    func badRuleFileRefusesStartup() async throws {
        let directory = try Self.temporaryDirectory()
        let rules = directory.appendingPathComponent("bad.yaml").path
        try Self.ruleFile(threshold: 8).replacingOccurrences(of: "event.data.score >=", with: "event.data.mood >=")
            .replacingOccurrences(of: "severity: high", with: "severity: urgent")
            .write(toFile: rules, atomically: true, encoding: .utf8)
        let daemon = try Daemon(broker: nil, arguments: ["--brokers", "127.0.0.1:1", "--rules-file", rules])
        let status = await daemon.process.waitForExit(timeout: 60)
        #expect(status == 64)
        #expect(daemon.process.stderr.contains("\(rules):10:19: severity must be one of low, medium, high, critical"), "\(daemon.process.stderr)")
        #expect(daemon.process.stderr.contains("\(rules):11:"), "the type error in when is reported too: \(daemon.process.stderr)")
    }

    @Test("SIGHUP and POST /-/reload swap the rules between events; a failed reload keeps them; cooldowns carry over (one processing thread, and two sharing the rules)", arguments: [1, 2])
    func hotReload(threads: Int) async throws {
        try await withBroker { broker, cleanup in
            let directory = try Self.temporaryDirectory()
            let rules = directory.appendingPathComponent("clinic.yaml").path
            try Self.ruleFile(threshold: 9).write(toFile: rules, atomically: true, encoding: .utf8)
            let config = try ConfigFile.write(extra: "rules:\n  module: none\n  files: [clinic.yaml]\n")
            try FileManager.default.moveItem(atPath: config, toPath: directory.appendingPathComponent("vigil.yaml").path)
            let configPath = directory.appendingPathComponent("vigil.yaml").path
            let daemon = cleanup.daemon(try Daemon(broker: broker, arguments: ["--config", configPath, "--processing-threads", "\(threads)"]))
            try await daemon.waitForReadiness()
            let firstStatus = try await daemon.get("/status").body
            #expect(firstStatus.contains(#""ruleModule":"none""#))
            #expect(firstStatus.contains(#""id":"strong-craving""#) && firstStatus.contains("clinic.yaml:2"))

            let kcat = Kcat(bootstrap: broker.bootstrap)
            let date = Date().addingTimeInterval(-600)
            func send(_ score: Int, _ id: String, _ patient: String, minutes: Double) throws {
                try kcat.produce(topic: "patient.cravings", [(patient, Events.craving(score, id: id, patient: patient, at: date.addingTimeInterval(minutes * 60)))], headers: Events.structured)
            }
            func consumed(_ count: Double) async throws {
                let reached = await Wait.until(timeout: 30) { (try? await daemon.metric("vigil_events_consumed_total")) == count }
                try #require(reached, "the daemon consumed \(count) events")
            }
            // Threshold 9: a craving of 9 alerts, one of 8 does not.
            try send(9, "e1", "R-1", minutes: 0)
            try send(8, "e2", "R-2", minutes: 0)
            try await consumed(2)
            #expect(try await kcat.waitForMessages(topic: "care.alerts", count: 1).count == 1)

            // SIGHUP: threshold 7 and a shadow rule.
            try Self.ruleFile(threshold: 7, version: 2, extra: Self.shadowRule).write(toFile: rules, atomically: true, encoding: .utf8)
            daemon.process.signal(SIGHUP)
            let reloaded = await Wait.until(timeout: 30) { (try? await daemon.metric("vigil_rules_reloads_total", matching: #"result="success""#)) == 1 }
            try #require(reloaded, "SIGHUP reloaded the rules: \(daemon.process.stderr.suffix(2000))")
            #expect(daemon.process.isRunning, "SIGHUP does not end the daemon")
            let secondStatus = try await daemon.get("/status").body
            #expect(secondStatus.contains(#""id":"moderate-craving""#) && secondStatus.contains(#""status":"testing""#))
            #expect(Self.hash(secondStatus) != Self.hash(firstStatus))

            // R-3's 8 now alerts; R-1's 9 is within the cooldown its rule kept; the shadow rule counts, never pages.
            try send(8, "e3", "R-3", minutes: 1)
            try send(9, "e4", "R-1", minutes: 2)
            try await consumed(4)
            let alerts = try await kcat.waitForMessages(topic: "care.alerts", count: 2)
            #expect(alerts.count == 2)
            #expect(!alerts.contains { ($0.value ?? "").contains(#""rule":"moderate-craving""#) })
            #expect(try await daemon.metric("vigil_alerts_suppressed_total", matching: #"reason="cooldown""#) == 1)
            #expect(try await daemon.metric("vigil_rule_shadow_matches_total", matching: #"rule="moderate-craving""#) == 2)

            // A broken file: 422 with the position, the running rules stay, the gauge says it failed.
            try Self.ruleFile(threshold: 7).replacingOccurrences(of: "params.threshold\n", with: "params.treshold\n")
                .write(toFile: rules, atomically: true, encoding: .utf8)
            let failed = try await daemon.post("/-/reload")
            #expect(failed.status == 422)
            #expect(failed.body.contains("clinic.yaml:11:"), "\(failed.body)")
            #expect(try await daemon.metric("vigil_rules_reload_success") == 0)
            #expect(Self.hash(try await daemon.get("/status").body) == Self.hash(secondStatus))

            // A change outside rules is reported as needing a restart, not applied.
            try Self.ruleFile(threshold: 7, version: 2, extra: Self.shadowRule).write(toFile: rules, atomically: true, encoding: .utf8)
            try String(contentsOfFile: configPath, encoding: .utf8).appending("limits:\n  maxEventBytes: 4096\n").write(toFile: configPath, atomically: true, encoding: .utf8)
            let restart = try await daemon.post("/-/reload")
            #expect(restart.status == 200)
            #expect(restart.body.contains(#""restartRequired":["limits.maxEventBytes"]"#), "\(restart.body)")
            #expect(try await daemon.metric("vigil_rules_reload_success") == 1)

            // Patients spread over every partition (so over every thread): each one's 8 alerts under threshold 7.
            for index in 0..<12 { try send(8, "s\(index)", "S-\(index)", minutes: 3) }
            try await consumed(16)
            let all = try await kcat.waitForMessages(topic: "care.alerts", count: 14)
            #expect(all.count == 14)
            // Alerts are keyed by patient, so they land on the patients' input partitions.
            #expect(Set(all.filter { $0.key?.hasPrefix("S-") == true }.map(\.partition)) == [0, 1, 2])
        }
    }

    static func hash(_ status: String) -> Substring? {
        guard let range = status.range(of: #""ruleSetHash":""#) else { return nil }
        return status[range.upperBound...].prefix(32)
    }
}
