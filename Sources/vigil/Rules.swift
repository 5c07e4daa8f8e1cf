import ArgumentParser
import Foundation
import VigilDaemon
import VigilRuleLanguage

/// `vigil rules`: check, test and (later) backtest rule files without a broker.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and test rule files.",
        discussion: "docs/RULE-LANGUAGE.md describes rule files; CONTRACT.md the test-file format.",
        subcommands: [Check.self, Test.self]
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
            for path in testFiles.flatMap(RuleFilePaths.expand) {
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
}
