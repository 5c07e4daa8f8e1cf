import Testing
@testable import VigilDaemon

@Suite("Configuration: processing threads")
struct ProcessingThreadsConfigurationTests {
    @Test("one thread by default; the file sets more; environment over file, flag over environment")
    func precedence() throws {
        #expect(try ConfigurationLoader.load(overrides: CommandLineOverrides(), environment: [:]).processing.threads == 1)
        #expect(try Load.configuration(yaml: "processing:\n  threads: 3").processing.threads == 3)
        let fromEnvironment = try ConfigurationLoader.load(overrides: CommandLineOverrides(), environment: ["VIGIL_PROCESSING_THREADS": "4"])
        #expect(fromEnvironment.processing.threads == 4)
        let fromFlag = try ConfigurationLoader.load(overrides: .with { $0.processingThreads = 2 }, environment: ["VIGIL_PROCESSING_THREADS": "4"])
        #expect(fromFlag.processing.threads == 2)
    }

    @Test("out of range or not a number is refused, naming the key", arguments: [
        ("processing:\n  threads: 0", "processing.threads: must be 1 to 64"),
        ("processing:\n  threads: 65", "processing.threads: must be 1 to 64"),
    ])
    func refused(yaml: String, message: String) {
        #expect(Load.error(yaml: yaml) == ConfigurationError(message))
    }

    @Test("a bad environment value is refused")
    func badEnvironment() {
        #expect(Load.error(environment: ["VIGIL_PROCESSING_THREADS": "two"]) == ConfigurationError("VIGIL_PROCESSING_THREADS: invalid value"))
    }

    @Test("the static membership id leaves room for the thread number")
    func groupInstanceIdBound() throws {
        let id = String(repeating: "i", count: 241)
        #expect(try ConfigurationLoader.load(overrides: .with { $0.groupInstanceId = id }, environment: [:]).processing.threads == 1)
        #expect(Load.error(flags: .with { $0.groupInstanceId = id; $0.processingThreads = 2 })
            == ConfigurationError("kafka.groupInstanceId: at most 249 bytes, with the \"_thread-N\" that processing.threads appends"))
    }

    @Test("the configuration dump shows it")
    func dump() throws {
        let configuration = try Load.configuration(yaml: "processing:\n  threads: 2")
        #expect(ConfigurationDump.yaml(configuration).contains("  threads: 2\n"))
    }

    @Test("the first thread keeps the instance's ids, the others append their number")
    func threadIdentities() throws {
        var configuration = try Load.configuration(yaml: "kafka:\n  groupId: care\nhttp:\n  port: 8080")
        let first = ProcessingThreadIdentity(index: 0, configuration: configuration, hostName: "app")
        #expect(first == ProcessingThreadIdentity(groupInstanceId: "care-app-8080", transactionalId: "care-app"))
        let second = ProcessingThreadIdentity(index: 1, configuration: configuration, hostName: "app")
        #expect(second == ProcessingThreadIdentity(groupInstanceId: "care-app-8080_thread-2", transactionalId: "care-app_thread-2"))
        // Not the ids of the first thread on a host named "app-2".
        #expect(second.transactionalId != ProcessingThreadIdentity(index: 0, configuration: configuration, hostName: "app-2").transactionalId)
        configuration.kafka.groupInstanceId = "vigil-0"
        configuration.processing.transactionalId = "tx-0"
        #expect(ProcessingThreadIdentity(index: 2, configuration: configuration) == ProcessingThreadIdentity(groupInstanceId: "vigil-0_thread-3", transactionalId: "tx-0_thread-3"))
        // Without static membership, no thread has an instance id.
        configuration.kafka.groupInstanceId = ""
        #expect(ProcessingThreadIdentity(index: 1, configuration: configuration).groupInstanceId == nil)
    }
}
