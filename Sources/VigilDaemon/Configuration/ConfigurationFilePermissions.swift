import Foundation
import VigilKafka

/// As ssh does for a private key: a configuration file that holds a secret (a Kafka password, the admin token) but
/// that any user of the host can read is worth a warning at start-up. Group-readable is fine: the deploy files
/// install it `root:vigil 0640`.
public enum ConfigurationFilePermissions {
    /// The warning to log for the file at `path`, or nil. Names the secret keys, never their values.
    public static func warning(path: String) -> String? {
        // The file itself, not a symbolic link to it (a Kubernetes Secret's mount is a 0777 link to a 0440 file).
        let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value, mode & 0o004 != 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        var configuration = VigilConfiguration()
        guard (try? ConfigurationFile.apply(yaml: text, to: &configuration)) != nil else { return nil }
        let secrets = secretKeys(in: configuration)
        guard !secrets.isEmpty else { return nil }
        return "the configuration file \(path) holds secrets (\(secrets.joined(separator: ", "))) and is readable by every user "
            + "(mode \(String(mode & 0o777, radix: 8))); restrict it, e.g. chmod 640 and a group only the daemon is in"
    }

    static func secretKeys(in configuration: VigilConfiguration) -> [String] {
        var keys = configuration.kafka.properties.keys.filter(SecretProperty.isSecret).sorted().map { "kafka.properties.\($0)" }
        if configuration.http.adminToken != nil { keys.append("http.adminToken") }
        return keys
    }
}
