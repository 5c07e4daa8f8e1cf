import Testing
import VigilCore
@testable import VigilDaemon

@Suite("Configuration: grouping.window")
struct GroupingConfigurationTests {
    @Test("the default window is 24 h, and it reaches the engine's policy")
    func defaultWindow() {
        let configuration = VigilConfiguration()
        #expect(configuration.grouping.window == 24 * 3600)
        #expect(configuration.timerPolicy().groupingWindow == 24 * 3600)
    }

    @Test("the file sets it; 0s turns grouping off")
    func fromFile() throws {
        #expect(try Load.configuration(yaml: "grouping:\n  window: 6h").timerPolicy().groupingWindow == 6 * 3600)
        #expect(try Load.configuration(yaml: "grouping:\n  window: 0s").timerPolicy().groupingWindow == 0)
    }

    @Test("VIGIL_GROUPING_WINDOW overrides the file")
    func environment() throws {
        let configuration = try ConfigurationLoader.load(overrides: .with { _ in }, environment: ["VIGIL_GROUPING_WINDOW": "12h"])
        #expect(configuration.grouping.window == 12 * 3600)
    }

    @Test("bad values are refused, naming the key", arguments: [
        ("grouping:\n  window: soon", "grouping.window: must be a duration such as 90s, 15m, 24h or 7d"),
        ("grouping:\n  windows: 24h", "grouping.windows: unknown key"),
    ])
    func refused(yaml: String, message: String) {
        #expect(Load.error(yaml: yaml) == ConfigurationError(message))
    }

    @Test("a changed window is reported as needing a restart by a reload, never half-applied")
    func reloadNeedsRestart() {
        let running = VigilConfiguration()
        var reread = running
        reread.grouping.window = 0
        #expect(RuleReloader.restartRequired(running, reread) == ["grouping.window"])
    }
}
