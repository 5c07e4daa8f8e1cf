import ArgumentParser
import Foundation
import Logging
import VigilCore
import VigilDaemon

/// `vigil bench`: throughput, latency and memory of the processing pipeline.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preload craving events into a broker, run the pipeline over them, and report events/s, latency and memory.",
        discussion: "Uses an embedded broker unless --brokers is given. See README's Performance section for the comparison with ../shared/bench.")

    @Option(help: "Events to preload and process.") var events = 200_000
    @Option(help: "Distinct patients.") var patients = 10_000
    @Option(help: "Events per patient: sets --events to --patients × this.") var eventsPerPatient: Int?
    @Option(help: "Live mode: publish this many events/s while the pipeline runs and report event-to-alert latency.") var rate: Int?
    @Option(help: "Live mode: seconds to publish for.") var duration: Double = 20
    @Flag(help: "Live mode: relay the alerting events with a bare consumer and producer instead of the pipeline (the broker's and clients' floor).") var passThrough = false
    @Flag(help: "Also crash a pipeline half-way through the backlog and count the alerts its successor redelivers.") var simulateCrash = false
    @Option(help: "Partitions per topic on the embedded broker.") var partitions = 12
    @Option(help: "Use this broker instead of an embedded one.") var brokers: String?
    @Flag(help: "The input topic already holds --events events; do not preload.") var noPreload = false
    @Option(name: .customLong("kafka-property"), help: "A librdkafka property KEY=VALUE for the pipeline (repeatable).")
    var kafkaProperties: [String] = []
    @Option(help: "The state topic the pipeline writes (a fresh one per run on a shared broker, or a run restores the last one's patients).") var stateTopic = "vigil.patient-state"
    @Option(help: "Seconds between checkpoints (state.checkpointInterval).") var checkpointInterval: Double = 1
    @Option(help: "at-least-once or exactly-once.") var processingGuarantee = "at-least-once"
    @Option(help: "Processing threads, each one member of the pipeline's group (processing.threads).") var processingThreads = 1
    @Option(help: "Log level on stderr.") var logLevel = "warning"
    @Option(help: "The rules to run: a module name (builtin, example, none) or a rule file.") var rules = "builtin"
    @Flag(help: "Time the rule engine alone over the bench's events, --rules against builtin in alternating rounds; no broker.") var engineOnly = false
    @Flag(help: "Run a seeded synthetic cohort with risk episodes through --rules, with alert grouping on and off, and report pages per episode; no broker.") var cohort = false
    @Option(help: "--cohort: patients.") var cohortPatients = 300
    @Option(help: "--cohort: days.") var cohortDays = 28
    @Option(help: "--cohort: the generator's seed.") var seed: UInt64 = 1
    @Option(help: "The grouping window, e.g. 24h; 0s turns alert grouping off (grouping.window).") var groupingWindow = "24h"

    func validate() throws {
        guard events > 0, patients > 0, (1...256).contains(partitions) else { throw ValidationError("--events, --patients and --partitions must be positive") }
        guard eventsPerPatient.map({ $0 > 0 }) ?? true, rate.map({ $0 > 0 }) ?? true, duration > 0 else { throw ValidationError("--events-per-patient, --rate and --duration must be positive") }
        guard kafkaProperties.allSatisfy({ $0.contains("=") }) else { throw ValidationError("--kafka-property takes KEY=VALUE") }
        guard cohortPatients > 0, cohortDays >= 7 else { throw ValidationError("--cohort-patients must be positive and --cohort-days at least 7") }
        guard DurationText.seconds(groupingWindow) != nil else { throw ValidationError("--grouping-window takes a duration such as 24h") }
        // A thread without partitions would never catch up, and the bench waits for all of them.
        guard (1...min(64, partitions)).contains(processingThreads) else { throw ValidationError("--processing-threads takes 1 to 64, at most --partitions") }
        guard ProcessingGuarantee(rawValue: processingGuarantee) != nil else { throw ValidationError("--processing-guarantee takes at-least-once or exactly-once") }
    }

    func run() async throws {
        Bootstrap.logging(level: logLevel)
        var options = BenchmarkOptions()
        options.events = eventsPerPatient.map { $0 * patients } ?? events
        options.patients = patients
        options.rate = rate
        options.passThrough = passThrough
        options.duration = duration
        options.simulateCrash = simulateCrash
        options.checkpointInterval = checkpointInterval
        options.stateTopic = stateTopic
        options.partitions = partitions
        options.brokers = brokers
        options.preload = !noPreload
        options.guarantee = ProcessingGuarantee(rawValue: processingGuarantee) ?? .atLeastOnce
        options.threads = processingThreads
        options.rules = ruleModules.rules(source: rules)
        options.groupingWindow = DurationText.seconds(groupingWindow) ?? options.groupingWindow
        for property in kafkaProperties {
            let parts = property.split(separator: "=", maxSplits: 1)
            options.kafkaProperties[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        do {
            if cohort {
                var policy = TimerPolicy()
                policy.groupingWindow = DurationText.seconds(groupingWindow) ?? policy.groupingWindow
                print(try Benchmark.compareCohort(rules: options.rules, modules: ruleModules, patients: cohortPatients, days: cohortDays, seed: seed, policy: policy).text)
                return
            }
            if engineOnly {
                print(try Benchmark.compareEngines(options: options, modules: ruleModules).text)
                return
            }
            let report = try await Benchmark(options: options, modules: ruleModules, logger: Logger(label: "vigil.bench")).run { line in
                FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
            }
            print(report.text)
        } catch {
            throw ExitCode(Bootstrap.exit(for: error))
        }
    }
}
