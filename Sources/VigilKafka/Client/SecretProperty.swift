/// Which configuration properties hold secrets: their values are never logged, printed or put in an error.
/// librdkafka's passwords (`sasl.password`, `ssl.key.password`, `ssl.keystore.password`), anything named like a
/// password, secret or token, and the properties that carry key material or credentials inline.
public enum SecretProperty {
    public static let redacted = "[redacted]"

    public static func isSecret(_ name: String) -> Bool {
        let name = name.lowercased()
        return name.hasSuffix("password") || name.contains("secret") || name.hasSuffix("token")
            || name == "sasl.oauthbearer.config" || name == "ssl.key.pem"
            || name == "sasl.jaas.config"
    }
}
