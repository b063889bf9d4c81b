import Foundation

/// How the suite's processes authenticate one another on the bus, from `suite.yaml`'s `bus:`
/// section and the environment.
///
/// ```yaml
/// bus:
///   keys: /etc/loom/keys        # <instance>.key files and the roster (default: <data>/keys)
///   roster: file:/run/secrets/loom-roster   # overrides <keys>/roster
///   secretKey: env:LOOM_BUS_KEY             # this instance's key; overrides <keys>/<instance>.key
///   insecure: true              # plain TCP, nobody authenticated; every service warns
/// ```
/// Environment: `LOOM_BUS_KEYS`, `LOOM_BUS_ROSTER`, `LOOM_BUS_SECRET_KEY`, `LOOM_BUS_INSECURE`.
public struct BusSecuritySettings: Sendable, Equatable, Codable {
    public var insecure: Bool
    public var keysDirectory: String?
    public var roster: SecretReference?
    public var secretKey: SecretReference?

    public init(
        insecure: Bool = false, keysDirectory: String? = nil, roster: SecretReference? = nil,
        secretKey: SecretReference? = nil
    ) {
        self.insecure = insecure
        self.keysDirectory = keysDirectory
        self.roster = roster
        self.secretKey = secretKey
    }

    /// The names under `bus:` that are settings rather than service endpoints.
    static let keys: Set<String> = ["insecure", "keys", "roster", "secretKey"]

    /// The key directory in force: the configured one, or `keys` inside the data directory.
    public func keysDirectory(dataDirectory: String) -> URL {
        URL(
            fileURLWithPath: keysDirectory ?? (dataDirectory as NSString).appendingPathComponent("keys"),
            isDirectory: true)
    }

    mutating func apply(environment: [String: String]) throws(ConfigError) {
        if let value = environment["LOOM_BUS_INSECURE"] {
            switch value.lowercased() {
            case "1", "true", "yes": insecure = true
            case "0", "false", "no", "": insecure = false
            default:
                throw ConfigError(issues: [ConfigIssue(
                    file: "environment", key: "LOOM_BUS_INSECURE",
                    message: "expected true or false, got '\(value)'")])
            }
        }
        if let value = environment["LOOM_BUS_KEYS"], !value.isEmpty { keysDirectory = value }
        if let value = environment["LOOM_BUS_ROSTER"], !value.isEmpty { roster = SecretReference(value) }
        if let value = environment["LOOM_BUS_SECRET_KEY"], !value.isEmpty { secretKey = SecretReference(value) }
    }
}
