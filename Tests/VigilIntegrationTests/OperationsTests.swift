import Foundation
import Testing

extension IntegrationTests {
    @Suite("Operations: readiness, privacy, exit codes")
    struct OperationsTests {
        @Test("/health/ready turns 503 naming the brokers when they go away, and 200 when they come back")
        func readinessFollowsTheBroker() async throws {
            try await withBroker { broker, cleanup in
                let daemon = cleanup.daemon(try Daemon(broker: broker))
                try await daemon.waitForReadiness()
                #expect(try await daemon.get("/health/live").status == 200)
                broker.setAvailable(false)
                try await daemon.waitForReadiness(false)
                let answer = try await daemon.get("/health/ready")
                #expect(answer.status == 503)
                #expect(answer.body.contains(#""brokers""#))
                #expect(try await daemon.get("/health/live").status == 200, "the process stays live while the broker is away")
                broker.setAvailable(true)
                try await daemon.waitForReadiness(true, timeout: 90)
            }
        }

        @Test("no patient id, clinical value, substance or free text in logs at info, in metrics or in HTTP answers")
        func privacy() async throws {
            try await withBroker { broker, cleanup in
                let daemon = cleanup.daemon(try Daemon(broker: broker, arguments: ["--log-level", "info"]))
                try await daemon.waitForReadiness()
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let date = Date().addingTimeInterval(-300)
                try kcat.produce(topic: "patient.checkins", [
                    ("PRIV-ALPHA", Events.structured("care.checkin.v1", id: "p1", patient: "PRIV-ALPHA", at: date, data: #""substanceUse":{"used":true,"substances":["mephedrone"]},"phq9Item9":3"#)),
                    ("PRIV-BETA", Events.craving(9, id: "p2", patient: "PRIV-BETA", at: date, substance: "zopiclone")),
                    ("PRIV-GAMMA", Events.structured("care.alert-ack.v1", id: "p3", patient: "PRIV-GAMMA", at: date, data: #""alertId":"a-1","action":"dismissed","reason":"SECRET-CLINICIAN-NOTE""#)),
                    ("PRIV-DELTA", #"{"specversion":"1.0","id":"p4","source":"s","type":"care.craving.v1","time":"bad","data":{"patientId":"PRIV-DELTA","score":7}}"#),
                ], headers: Events.structured)
                _ = try await kcat.waitForMessages(topic: "care.alerts", count: 2)
                _ = await Wait.until(timeout: 30) { (try? await daemon.metric("vigil_events_consumed_total")) == 4 }
                let forbidden = ["PRIV-", "mephedrone", "zopiclone", "SECRET-CLINICIAN-NOTE"]
                var surfaces = ["stderr": daemon.process.stderr, "stdout": daemon.process.stdout]
                for path in ["/metrics", "/status", "/health/ready", "/health/live"] { surfaces[path] = try await daemon.get(path).body }
                for (surface, text) in surfaces {
                    for secret in forbidden { #expect(!text.contains(secret), "\(secret) appears in \(surface)") }
                }
                #expect(daemon.process.stderr.contains("vigil started"), "the log was captured")
            }
        }

        @Test("the rule module named in configuration is the one that runs")
        func exampleModule() async throws {
            try await withBroker { broker, cleanup in
                let config = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).yaml").path
                try "rules:\n  module: example\n  craving-threshold:\n    threshold: 6\n".write(toFile: config, atomically: true, encoding: .utf8)
                let daemon = cleanup.daemon(try Daemon(broker: broker, arguments: ["--config", config]))
                try await daemon.waitForReadiness()
                #expect(try await daemon.get("/status").body.contains(#""ruleModule":"example""#))
                let kcat = Kcat(bootstrap: broker.bootstrap)
                try kcat.produce(topic: "patient.cravings", [("X-1", Events.craving(6, id: "x", patient: "X-1", at: Date().addingTimeInterval(-60)))], headers: Events.structured)
                let alerts = try await kcat.waitForMessages(topic: "care.alerts", count: 1)
                #expect((alerts.first?.json?["data"] as? [String: Any])?["rule"] as? String == "craving-threshold")
            }
        }

        @Test("with no brokers anywhere it refuses to start (64) and names --embedded-broker and vigil demo")
        func noBrokers() async throws {
            let process = try ChildProcess(Binaries.vigil, ["run", "--http-port", "0"])
            #expect(await process.waitForExit(timeout: 30) == 64)
            #expect(process.stderr.contains("--embedded-broker"))
            #expect(process.stderr.contains("vigil demo"))
        }

        @Test("unreachable brokers: exit 69 after the connect timeout")
        func unreachable() async throws {
            let process = try ChildProcess(Binaries.vigil, ["run", "--http-port", "0", "--brokers", "127.0.0.1:9", "--connect-timeout", "2s"])
            #expect(await process.waitForExit(timeout: 60) == 69)
        }

        @Test("a bad rule setting or key is refused with 64, naming it", arguments: [
            ("rules:\n  craving-spike:\n    highThreshold: eleven\n", ["craving-spike", "highThreshold"]),
            ("rules:\n  no-such-rule:\n    enabled: true\n", ["no-such-rule"]),
            ("kafka:\n  brokerz: x\n", ["kafka.brokerz"]),
            ("shutdownTimeout: 30\n", ["shutdownTimeout"]),
        ])
        func badConfiguration(yaml: String, named: [String]) async throws {
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).yaml").path
            try yaml.write(toFile: config, atomically: true, encoding: .utf8)
            let process = try ChildProcess(Binaries.vigil, ["run", "--http-port", "0", "--brokers", "127.0.0.1:9", "--config", config])
            #expect(await process.waitForExit(timeout: 30) == 64)
            for name in named { #expect(process.stderr.contains(name), "\(name) not named in: \(process.stderr)") }
        }

        @Test("input topics that are not co-partitioned, or missing, are refused with 64")
        func coPartitioning() async throws {
            try await withBroker(extraTopics: "odd.checkins:2") { broker, _ in
                let odd = try ChildProcess(Binaries.vigil, ["run", "--http-port", "0", "--brokers", broker.bootstrap, "--input-topics", "odd.checkins,patient.cravings"])
                #expect(await odd.waitForExit(timeout: 60) == 64)
                #expect(odd.stderr.contains("co-partitioned"))
                let missing = try ChildProcess(Binaries.vigil, ["run", "--http-port", "0", "--brokers", broker.bootstrap, "--input-topics", "no.such.topic"])
                #expect(await missing.waitForExit(timeout: 60) == 64)
                #expect(missing.stderr.contains("no.such.topic"))
            }
        }
    }

    @Suite("Trying it out: embedded broker and demo")
    struct TryItOutTests {
        @Test("run --embedded-broker prints its bootstrap servers, warns, and serves kcat")
        func embeddedBroker() async throws {
            let daemon = try Daemon(broker: nil, arguments: ["--embedded-broker"])
            let process = daemon.process
            #expect(await Wait.until(timeout: 30) { process.stdout.contains("\n") })
            let bootstrap = String(process.stdout.split(separator: "\n").first ?? "")
            #expect(bootstrap.hasPrefix("127.0.0.1:"))
            #expect(process.stderr.contains("nothing is kept after exit"))
            try await daemon.waitForReadiness()
            let kcat = Kcat(bootstrap: bootstrap)
            try kcat.produce(topic: "patient.cravings", [("E-1", Events.craving(9, id: "e", patient: "E-1", at: Date().addingTimeInterval(-60)))], headers: Events.structured)
            let alerts = try await kcat.waitForMessages(topic: "care.alerts", count: 1)
            #expect(alerts.first?.key == "E-1")
            process.signal(SIGTERM)
            #expect(await process.waitForExit(timeout: 40) == 0)
        }

        @Test("vigil demo prints readable alerts until interrupted, then exits 0")
        func demo() async throws {
            let process = try ChildProcess(Binaries.vigil, ["demo", "--http-port", "0", "--rate", "40"])
            let printed = await Wait.until(timeout: 90) { process.stdout.contains("CRITICAL") && process.stdout.contains("suicidal-ideation") }
            #expect(printed, "demo output: \(process.stdout.suffix(2000)) \(process.stderr.suffix(2000))")
            let line = process.stdout.split(separator: "\n").first { $0.contains("suicidal-ideation") } ?? ""
            #expect(line.contains("PHQ-9 item 9"))
            process.signal(SIGINT)
            #expect(await process.waitForExit(timeout: 40) == 0)
        }
    }
}
