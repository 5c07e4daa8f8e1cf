import Foundation
import Testing

extension IntegrationTests {
    @Suite("Security: secrets and patient data stay out of logs, dumps and answers")
    struct SecurityTests {
        static let password = "hunter2-\(UUID().uuidString.prefix(8))"
        static let token = "admin-\(UUID().uuidString.prefix(8))"

        /// A SASL configuration as the README's recipe gives it, written world-readable.
        static func saslConfig() throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-sasl-\(UUID().uuidString).yaml").path
            try """
                kafka:
                  connectTimeout: 3s
                  properties:
                    security.protocol: SASL_PLAINTEXT
                    sasl.mechanisms: SCRAM-SHA-512
                    sasl.username: vigil
                    sasl.password: "\(password)"
                    debug: "security,broker,conf"
                http:
                  adminToken: "\(token)"
                """.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            return path
        }

        /// librdkafka 2.0.2's mock cluster answers no SaslHandshake, so SASL cannot authenticate here: the daemon
        /// gives up at the connect timeout (69). What it says meanwhile, at trace level with librdkafka's security,
        /// broker and configuration debugging on, must hold neither secret.
        @Test("SASL against a broker that refuses it: exit 69, a permissions warning, and neither the password nor the admin token in any log line")
        func secretsNeverLogged() async throws {
            try await withBroker { broker, _ in
                let path = try Self.saslConfig()
                let process = try ChildProcess(Binaries.vigil, ["run", "--http-port", "0", "--brokers", broker.bootstrap, "--config", path, "--log-level", "trace"])
                #expect(await process.waitForExit(timeout: 90) == 69)
                let output = process.stderr + process.stdout
                #expect(output.contains("SASL"), "librdkafka's security debugging ran")
                #expect(output.contains("readable by every user"), "the world-readable secret file was warned about")
                #expect(output.contains("kafka.properties.sasl.password"))
                #expect(!output.contains(Self.password))
                #expect(!output.contains(Self.token))
            }
        }

        @Test("--print-config shows the merged configuration with every secret redacted")
        func printConfigRedacts() async throws {
            let path = try Self.saslConfig()
            let process = try ChildProcess(Binaries.vigil, ["run", "--config", path, "--brokers", "127.0.0.1:9", "--print-config"])
            #expect(await process.waitForExit(timeout: 30) == 0)
            #expect(process.stdout.contains(#"sasl.password: "[redacted]""#))
            #expect(process.stdout.contains(#"adminToken: "[redacted]""#))
            #expect(process.stdout.contains(#"sasl.username: "vigil""#))
            #expect(!process.stdout.contains(Self.password))
            #expect(!process.stdout.contains(Self.token))
        }

        /// Hostile messages, each carrying planted patient data (ids, a substance, free text) where a careless error
        /// path might echo it: none of it may reach the logs at info, the metrics or any HTTP answer, and the daemon
        /// stays up and ready.
        @Test("under a hostile corpus no patient id, substance or free text reaches logs, metrics, /status or the dead-letter details")
        func hostileCorpusPrivacy() async throws {
            try await withBroker { broker, cleanup in
                let daemon = cleanup.daemon(try Daemon(broker: broker, arguments: ["--log-level", "info"]))
                try await daemon.waitForReadiness()
                let kcat = Kcat(bootstrap: broker.bootstrap)
                let time = Events.time(Date().addingTimeInterval(-120))
                let nested = String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000)
                func event(_ id: String, _ data: String, type: String = "care.craving.v1", extra: String = "") -> String {
                    #"{"specversion":"1.0","id":"\#(id)","source":"app://h","type":"\#(type)","time":"\#(time)"\#(extra),"datacontenttype":"application/json","data":\#(data)}"#
                }
                let hostile: [(key: String, value: String)] = [
                    ("HOSTILE-P1", event("h1", #"{"patientId":"HOSTILE-P1","score":9,"substance":"HOSTILE-SUBSTANCE","x":\#(nested)}"#)),
                    ("HOSTILE-P2", event("h2", #"{"patientId":"HOSTILE-P2","score":1\#(String(repeating: "7", count: 5000))}"#)),
                    ("HOSTILE-P3", event("h3", #"{"patientId":"HOSTILE-P3","patientId":"HOSTILE-P3b","score":4}"#)),
                    ("HOSTILE-P4", event("h4", #"{"patientId":"HOSTILE-P4","score":4,"substance":"\ud800HOSTILE-SUBSTANCE"}"#)),
                    ("HOSTILE-P5", event(#"h5\u0000HOSTILE-P5"#, #"{"patientId":"HOSTILE-P5","score":4}"#)),
                    ("HOSTILE-P6", event("h6", #"{"patientId":"HOSTILE-P6","mood":"HOSTILE-FREE-TEXT"}"#, type: "care.checkin.v1")),
                    ("HOSTILE-P7", event("h7", #"{"patientId":"HOSTILE-P7b","score":4}"#)),
                    ("HOSTILE-P8", event("h8", #"{"patientId":"HOSTILE-P8","alertId":"a","action":"HOSTILE-FREE-TEXT"}"#, type: "care.alert-ack.v1")),
                    ("HOSTILE-P9", "\u{FEFF}" + event("h9", #"{"patientId":"HOSTILE-P9","score":4}"#)),
                    ("HOSTILE-P10", event("h10", #"{"patientId":"HOSTILE-P10","score":4}"#, extra: #","subject":"HOSTILE-FREE-TEXT\u0007""#)),
                    ("HOSTILE-P11", #"{"patientId":"HOSTILE-P11","notes":"HOSTILE-FREE-TEXT"}"#),
                    ("HOSTILE-P12", event("h12", #"{"patientId":"HOSTILE-P12","score":-1,"substance":"HOSTILE-SUBSTANCE"}"#)),
                    ("HOSTILE-P13", event("h13", #"{"patientId":"HOSTILE-P13","score":4}"#).replacingOccurrences(of: time, with: "HOSTILE-FREE-TEXT")),
                ]
                try kcat.produce(topic: "patient.cravings", hostile, headers: Events.structured)
                try kcat.produce(topic: "patient.cravings", [("HOSTILE-P14", #"{"patientId":"HOSTILE-P14","score":4}"#)], headers: [
                    ("ce_specversion", "1.0"), ("ce_id", "h14\u{1}HOSTILE-FREE-TEXT"), ("ce_source", "app://h"),
                    ("ce_type", "care.craving.v1"), ("ce_time", "HOSTILE-FREE-TEXT"), ("content-type", "application/json"),
                ])
                try kcat.produceKeyless(topic: "patient.cravings", [event("h15", #"{"patientId":"HOSTILE-P15","score":9}"#)], headers: Events.structured)
                let copies = try await kcat.waitForMessages(topic: "patient.events.dlq", count: 15, timeout: 90)
                #expect(copies.count >= 14, "the hostile messages were dead-lettered")
                #expect(daemon.process.isRunning)
                try await daemon.waitForReadiness()
                var surfaces = ["stderr": daemon.process.stderr, "stdout": daemon.process.stdout]
                for path in ["/metrics", "/status", "/health/ready", "/health/live"] { surfaces[path] = try await daemon.get(path).body }
                for copy in copies { surfaces["dead-letter detail \(copy.offset)"] = copy.header("vigil.error.detail") ?? "" }
                for (surface, text) in surfaces {
                    #expect(!text.contains("HOSTILE-"), "patient data appears in \(surface): \(text.components(separatedBy: "\n").filter { $0.contains("HOSTILE-") }.prefix(3))")
                }
            }
        }
    }
}
