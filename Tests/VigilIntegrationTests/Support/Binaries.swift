import Foundation

enum Binaries {
    /// The `vigil` executable built next to the test bundle (`swift build` puts both in `.build/<config>/`),
    /// or `VIGIL_TEST_BINARY`.
    static var vigil: String {
        if let path = ProcessInfo.processInfo.environment["VIGIL_TEST_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // On Linux the test runner is `.build/<config>/vigilPackageTests.xctest`; elsewhere it may be inside a bundle.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("vigil")
            if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return "vigil-not-built"
    }

    static var kcat: String {
        for path in ["/usr/bin/kcat", "/usr/local/bin/kcat", "/usr/bin/kafkacat"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return "kcat-not-installed"
    }
}
