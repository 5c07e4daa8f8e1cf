import ArgumentParser
import Foundation
import Logging
import VigilCore
import VigilDaemon
import VigilRuleLanguage

/// `vigil rules`: check, test and backtest rule files without running the daemon.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, test and backtest rule files.",
        discussion: "docs/RULE-LANGUAGE.md describes rule files; CONTRACT.md the test-file format.",
        subcommands: [Check.self, Test.self, Backtest.self]
    )

    /// `vigil rules check FILE...`: every problem as `FILE:LINE:COLUMN: message`; exit 0 valid, 64 not.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate rule files: syntax, types, names and parameter ranges.")

        @Argument(help: "Rule files (or globs).") var files: [String]

        func run() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one rule file") }
            switch FileRuleModule.load(paths: files) {
            case .failure(let errors):
                report(errors.diagnostics)
            case .success(let module):
                let problems = module.checkDefaults()
                if !problems.isEmpty { report(problems) }
                print("\(files.joined(separator: " ")): \(module.ruleIds.count) rules, no problems")
            }
        }

        private func report(_ diagnostics: [RuleFileDiagnostic]) -> Never {
            for diagnostic in diagnostics { print(diagnostic.description) }
            FileHandle.standardError.write(Data("vigil rules check: \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s")\n".utf8))
            Foundation.exit(64)
        }
    }

    /// `vigil rules test [--rules SOURCE] [--config FILE] TESTFILE...`: exit 0 all pass, 1 a test failed, 64 bad file.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run rule tests on a virtual clock, with no broker.")

        @Option(help: "The rules to test: a module name (builtin, example, none) or a rule file; overrides the test file's rules.") var rules: String?
        @Option(help: "A configuration file whose rules section applies; overrides the test file's config.") var config: String?
        @Argument(help: "Rule-test files.") var testFiles: [String]

        func run() throws {
            guard !testFiles.isEmpty else { throw ValidationError("give at least one rule-test file") }
            let runner = RuleTestRunner(registry: ruleModules)
            var badFiles = 0
            var passed = 0
            var failed = 0
            let paths = testFiles.flatMap(RuleFilePaths.expand)
            if paths.isEmpty {
                // A glob that matches nothing must not pass as a green run with no tests.
                print("\(testFiles.joined(separator: " ")): no rule-test file matches")
                throw ExitCode(64)
            }
            for path in paths {
                do {
                    let file = try RuleTestFile.load(path: path).get()
                    let engine = try runner.ruleSet(for: file, rulesSource: rules, configFile: config).engine
                    for test in file.tests {
                        let outcome = try runner.run(test, start: file.start, engine: engine)
                        print(RuleTestReport.text(outcome, start: file.start))
                        if outcome.passed { passed += 1 } else { failed += 1 }
                    }
                } catch let errors as RuleFileErrors {
                    badFiles += 1
                    print(errors.description)
                } catch {
                    badFiles += 1
                    print("\(path): \(error)")
                }
            }
            print("\(passed + failed) tests: \(passed) passed, \(failed) failed\(badFiles > 0 ? "; \(badFiles) file\(badFiles == 1 ? "" : "s") could not run" : "")")
            if badFiles > 0 { throw ExitCode(64) }
            if failed > 0 { throw ExitCode(1) }
        }
    }

    /// `vigil rules backtest`: replay recorded events through a candidate and a baseline; read-only. Exit 0, or 64.
    struct Backtest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay recorded events through a candidate and a baseline rule set on a virtual clock and compare them.",
            discussion: "Read-only: it never commits offsets and never publishes."
        )

        @Option(help: "An NDJSON file of structured-mode CloudEvents, one a line.") var events: String?
        @Option(help: "Read the input topics of these brokers instead (group-less, read-only).") var brokers: String?
        @Option(help: "Only events at or after this RFC 3339 time.") var from: String?
        @Option(help: "Only events at or before this RFC 3339 time; the clock runs to it.") var to: String?
        @Option(help: "Candidate rules: a module name or a rule file (default builtin).") var rules = "builtin"
        @Option(help: "A configuration file whose rules section applies to the candidate.") var config: String?
        @Option(help: "Baseline rules: a module name or a rule file (default builtin).") var baselineRules = "builtin"
        @Option(help: "A configuration file whose rules section applies to the baseline.") var baselineConfig: String?
        @Option(help: "table or json.") var format = "table"

        func validate() throws {
            guard (events == nil) != (brokers == nil) else { throw ValidationError("give exactly one of --events and --brokers") }
            guard ["table", "json"].contains(format) else { throw ValidationError("--format takes table or json") }
            guard from.map({ RFC3339.parse($0) != nil }) ?? true, to.map({ RFC3339.parse($0) != nil }) ?? true else {
                throw ValidationError("--from and --to take RFC 3339 times, as 2026-03-01T00:00:00Z")
            }
        }

        func run() async throws {
            Bootstrap.logging(level: "warning")
            do {
                let fromTime = from.flatMap { RFC3339.parse($0) }
                let toTime = to.flatMap { RFC3339.parse($0) }
                let candidate = try ruleSet(rules, config: config)
                let baseline = try ruleSet(baselineRules, config: baselineConfig)
                let input: BacktestInput.Events
                if let events {
                    input = try BacktestInput.events(ndjsonFile: events, from: fromTime, to: toTime)
                } else {
                    // The input topics of the candidate's configuration file, else the defaults.
                    var flags = CommandLineOverrides()
                    flags.configFile = config
                    let topics = config == nil ? VigilConfiguration().topics.inputs : try ConfigurationLoader.load(overrides: flags, environment: [:]).topics.inputs
                    input = try BacktestInput.events(brokers: brokers ?? "", topics: topics, from: fromTime, to: toTime, kafkaProperties: [:], logger: Logger(label: "vigil.backtest"))
                }
                let report = VigilDaemon.Backtest.run(events: input.events, invalidEvents: input.invalid, candidate: candidate.engine, baseline: baseline.engine, until: toTime)
                print(format == "json" ? BacktestReport.json(report) : BacktestReport.table(report))
            } catch {
                throw ExitCode(Bootstrap.exit(for: error))
            }
        }

        private func ruleSet(_ source: String, config: String?) throws(ConfigurationError) -> RuleSet {
            let settings = try config.map { (path: String) throws(ConfigurationError) in try RuleSettingsFile.rules(inConfigurationFile: path).settings } ?? [:]
            let chosen = ruleModules.rules(source: source, settings: settings)
            return try ruleModules.ruleSet(for: chosen)
        }
    }
}
