import Foundation
import Testing

/// `vigil rules backtest` as an operator runs it: from an NDJSON file, and from a broker's input topics without
/// committing anything (an independent client, kcat, publishes the events).
@Suite("vigil rules backtest", .serialized)
struct RuleCommandTests {
    static func events(_ date: Date) -> [(key: String, value: String)] {
        [
            ("B-1", Events.craving(8, id: "b1", patient: "B-1", at: date)),
            ("B-2", Events.craving(9, id: "b2", patient: "B-2", at: date.addingTimeInterval(60))),
            ("B-3", Events.craving(3, id: "b3", patient: "B-3", at: date.addingTimeInterval(120))),
        ]
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32?, stdout: String) {
        let process = try ChildProcess(Binaries.vigil, arguments)
        let status = await process.waitForExit(timeout: 120)
        return (status, process.stdout)
    }

    static func writeCandidateConfig() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("candidate-\(UUID().uuidString).yaml").path
        try "rules:\n  craving-spike:\n    highThreshold: 9\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("from an NDJSON file, in CONTRACT.md's JSON")
    func fromFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).ndjson").path
        try (Self.events(Date().addingTimeInterval(-3600)).map(\.value) + ["{not json"]).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await Self.run(["rules", "backtest", "--events", file, "--config", try Self.writeCandidateConfig(), "--format", "json"])
        #expect(result.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((report["candidate"] as? [String: Any])?["alerts"] as? Int == 1)
        #expect((report["baseline"] as? [String: Any])?["alerts"] as? Int == 2)
        let onlyBaseline = try #require(report["onlyBaseline"] as? [[String: Any]])
        #expect(onlyBaseline.map { $0["patientId"] as? String } == ["B-1"])
        #expect(report["invalidEvents"] as? Int == 1)
    }

    @Test("from a broker's input topics, committing nothing")
    func fromBroker() async throws {
        try await withBroker { broker, _ in
            let kcat = Kcat(bootstrap: broker.bootstrap)
            try kcat.produce(topic: "patient.cravings", Self.events(Date().addingTimeInterval(-3600)), headers: Events.structured)
            let result = try await Self.run(["rules", "backtest", "--brokers", broker.bootstrap, "--format", "json"])
            #expect(result.status == 0)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect((report["baseline"] as? [String: Any])?["alerts"] as? Int == 2)
            #expect((report["candidate"] as? [String: Any])?["patients"] as? Int == 3)
            #expect(try Offsets.committed(bootstrap: broker.bootstrap, groupId: "vigil-changelog-reader", topic: "patient.cravings", partitions: 3).values.allSatisfy { $0 < 0 }, "nothing committed")
        }
    }

    @Test("bad usage exits 64")
    func badUsage() async throws {
        #expect(try await Self.run(["rules", "backtest", "--events", "/nonexistent.ndjson"]).status == 64)
        #expect(try await Self.run(["rules", "backtest"]).status == 64)
    }
}
