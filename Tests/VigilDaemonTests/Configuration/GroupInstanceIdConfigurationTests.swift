import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Configuration: kafka.groupInstanceId (static group membership)")
struct GroupInstanceIdConfigurationTests {
    @Test("by default each instance is <groupId>-<hostname>-<httpPort>: stable across restarts, distinct per port on a host")
    func defaultIdentity() {
        var configuration = VigilConfiguration()
        #expect(configuration.effectiveGroupInstanceId(hostName: "node-1") == "vigil-node-1-8080")
        configuration.kafka.groupId = "clinic-a"
        configuration.http.port = 9090
        #expect(configuration.effectiveGroupInstanceId(hostName: "node-1") == "clinic-a-node-1-9090")
    }

    @Test("a random HTTP port (0) is no stable identity: dynamic membership")
    func randomPort() {
        var configuration = VigilConfiguration()
        configuration.http.port = 0
        #expect(configuration.effectiveGroupInstanceId(hostName: "node-1") == nil)
    }

    @Test("the file, the environment and the flag set it; the flag wins; empty turns it off")
    func sources() throws {
        #expect(try Load.configuration(yaml: "kafka:\n  groupInstanceId: vigil-a").effectiveGroupInstanceId() == "vigil-a")
        #expect(try Load.configuration(yaml: "kafka:\n  groupInstanceId: \"\"").effectiveGroupInstanceId() == nil)
        let fromEnvironment = try ConfigurationLoader.load(overrides: .with { _ in }, environment: ["VIGIL_GROUP_INSTANCE_ID": "vigil-b"])
        #expect(fromEnvironment.effectiveGroupInstanceId() == "vigil-b")
        let fromFlag = try ConfigurationLoader.load(overrides: .with { $0.groupInstanceId = "vigil-c" }, environment: ["VIGIL_GROUP_INSTANCE_ID": "vigil-b"])
        #expect(fromFlag.effectiveGroupInstanceId() == "vigil-c")
    }

    @Test("a raw group.instance.id in kafka.properties is honoured, but not together with the key")
    func rawProperty() throws {
        #expect(try Load.configuration(yaml: "kafka:\n  properties:\n    group.instance.id: raw-1").effectiveGroupInstanceId() == "raw-1")
        #expect(Load.error(yaml: "kafka:\n  groupInstanceId: a\n  properties:\n    group.instance.id: b")
            == ConfigurationError("kafka.groupInstanceId and kafka.properties.group.instance.id exclude each other; keep kafka.groupInstanceId"))
    }

    @Test("an id longer than Kafka's 249 bytes is refused, naming the key")
    func tooLong() {
        #expect(Load.error(yaml: "kafka:\n  groupInstanceId: \(String(repeating: "x", count: 250))") == ConfigurationError("kafka.groupInstanceId: at most 249 bytes"))
    }

    @Test("a reload reports a changed id as needing a restart")
    func reloadNeedsRestart() {
        let running = VigilConfiguration()
        var reread = running
        reread.kafka.groupInstanceId = "other"
        #expect(RuleReloader.restartRequired(running, reread) == ["kafka.groupInstanceId"])
    }
}
