import Foundation
import Testing

extension IntegrationTests {
    @Suite("Security: secrets stay out of logs and dumps")
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
    }
}
