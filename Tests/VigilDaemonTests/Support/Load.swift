@testable import VigilDaemon

/// Loads a configuration the way `vigil run` does, from a YAML text served as the file named by `VIGIL_CONFIG`
/// (or `--config`), an environment and flags, without touching the disk.
enum Load {
    static let path = "/etc/vigil/vigil.yaml"

    static func configuration(
        yaml: String? = nil, environment: [String: String] = [:], flags: CommandLineOverrides = CommandLineOverrides()
    ) throws(ConfigurationError) -> VigilConfiguration {
        var environment = environment
        if yaml != nil, flags.configFile == nil, environment["VIGIL_CONFIG"] == nil { environment["VIGIL_CONFIG"] = path }
        return try ConfigurationLoader.load(overrides: flags, environment: environment) { _ in
            guard let yaml else { throw NoSuchFile() }
            return yaml
        }
    }

    /// The error of a configuration that must be refused, or nil when it loads.
    static func error(
        yaml: String? = nil, environment: [String: String] = [:], flags: CommandLineOverrides = CommandLineOverrides()
    ) -> ConfigurationError? {
        do {
            _ = try configuration(yaml: yaml, environment: environment, flags: flags)
            return nil
        } catch {
            return error
        }
    }

    struct NoSuchFile: Error {}
}

extension CommandLineOverrides {
    /// Flags built in place: `.with { $0.brokers = "b:9092" }`.
    static func with(_ set: (inout CommandLineOverrides) -> Void) -> CommandLineOverrides {
        var flags = CommandLineOverrides()
        set(&flags)
        return flags
    }
}
