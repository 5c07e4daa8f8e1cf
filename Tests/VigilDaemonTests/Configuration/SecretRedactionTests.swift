import Foundation
import Testing
import VigilKafka
@testable import VigilDaemon

@Suite("Configuration: secrets are redacted, and a world-readable file holding one is warned about")
struct SecretRedactionTests {
    @Test("which properties are secrets", arguments: [
        ("sasl.password", true), ("ssl.key.password", true), ("ssl.keystore.password", true), ("foo.password", true),
        ("sasl.oauthbearer.client.secret", true), ("my-secret-thing", true), ("http.adminToken", true), ("ssl.key.pem", true),
        ("sasl.oauthbearer.config", true), ("sasl.username", false), ("security.protocol", false), ("ssl.ca.location", false),
        ("client.id", false),
    ])
    func classification(name: String, secret: Bool) {
        #expect(SecretProperty.isSecret(name) == secret)
    }

    static let yaml = """
        kafka:
          brokers: "kafka-1:9092"
          properties:
            sasl.username: vigil
            sasl.password: "p4ss-word"
            ssl.key.password: "k3y-pass"
            sasl.oauthbearer.client.secret: "0auth-s3cret"
        http:
          adminToken: "t0ken-value"
        rules:
          craving-spike:
            cooldown: 12h
        """

    @Test("the dump shows every key and no secret's value")
    func dumpRedacts() throws {
        let dump = ConfigurationDump.yaml(try Load.configuration(yaml: Self.yaml))
        for secret in ["p4ss-word", "k3y-pass", "0auth-s3cret", "t0ken-value"] {
            #expect(!dump.contains(secret))
        }
        #expect(dump.contains(#"sasl.password: "[redacted]""#))
        #expect(dump.contains(#"ssl.key.password: "[redacted]""#))
        #expect(dump.contains(#"sasl.oauthbearer.client.secret: "[redacted]""#))
        #expect(dump.contains(#"adminToken: "[redacted]""#))
        #expect(dump.contains(#"sasl.username: "vigil""#))
        #expect(dump.contains("cooldown: \"12h\""))
    }

    @Test("a dump without secrets loads back to the same configuration")
    func dumpRoundTrips() throws {
        var configuration = try Load.configuration(yaml: """
            kafka:
              brokers: "kafka-1:9092"
              properties:
                client.id: "vigil \\"east\\""
            processing:
              maxIdle: 250ms
            escalation:
              high: []
            grouping:
              window: 6h
            """)
        configuration.kafka.groupInstanceId = configuration.effectiveGroupInstanceId()
        #expect(try Load.configuration(yaml: ConfigurationDump.yaml(configuration)) == configuration)
    }

    @Test("a dump with a raw group.instance.id, odd characters in values and keys, and rule settings loads back")
    func dumpRoundTripsOddValues() throws {
        let configuration = try Load.configuration(yaml: """
            kafka:
              properties:
                group.instance.id: "node-7"
                "odd key: #1": "tab\\there \\u007f del \\ufeff bom \\u0085 nel \\"q\\" \\\\ back"
            rules:
              craving-spike:
                highThreshold: 7.5
                enabled: false
            """)
        #expect(configuration.kafka.properties["odd key: #1"]?.contains("\u{7F}") == true)
        #expect(try Load.configuration(yaml: ConfigurationDump.yaml(configuration)) == configuration)
    }

    static func file(mode: Int, yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test("a world-readable file with secrets is warned about, naming the keys and never the values")
    func worldReadable() throws {
        let path = try Self.file(mode: 0o644, yaml: Self.yaml)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let warning = try #require(ConfigurationFilePermissions.warning(path: path))
        #expect(warning.contains("kafka.properties.sasl.password"))
        #expect(warning.contains("http.adminToken"))
        #expect(warning.contains("644"))
        for secret in ["p4ss-word", "k3y-pass", "0auth-s3cret", "t0ken-value"] {
            #expect(!warning.contains(secret))
        }
    }

    @Test("a symbolic link is judged by the file it points to (a Kubernetes Secret mount)")
    func symbolicLink() throws {
        let restricted = try Self.file(mode: 0o440, yaml: Self.yaml)
        let open = try Self.file(mode: 0o644, yaml: Self.yaml)
        let links = [restricted, open].map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("vigil-link-\(UUID().uuidString).yaml").path }
        try FileManager.default.createSymbolicLink(atPath: links[0], withDestinationPath: restricted)
        try FileManager.default.createSymbolicLink(atPath: links[1], withDestinationPath: open)
        defer { for path in [restricted, open] + links { try? FileManager.default.removeItem(atPath: path) } }
        #expect(ConfigurationFilePermissions.warning(path: links[0]) == nil)
        #expect(ConfigurationFilePermissions.warning(path: links[1]) != nil)
    }

    @Test("no warning for a file only its owner and group can read, nor for a readable one without secrets")
    func noWarning() throws {
        let restricted = try Self.file(mode: 0o640, yaml: Self.yaml)
        let plain = try Self.file(mode: 0o644, yaml: "kafka:\n  brokers: \"kafka-1:9092\"\n")
        defer {
            try? FileManager.default.removeItem(atPath: restricted)
            try? FileManager.default.removeItem(atPath: plain)
        }
        #expect(ConfigurationFilePermissions.warning(path: restricted) == nil)
        #expect(ConfigurationFilePermissions.warning(path: plain) == nil)
    }
}
