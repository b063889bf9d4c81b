import Foundation

/// Where the suite's processes listen, read from `suite.yaml` and overridable per process by
/// environment variables (`loom up` and the tests use those to pick free ports).
public struct SuiteLayout: Sendable, Equatable, Codable {
    public var dataDirectory: String
    public var httpHost: String
    public var httpPort: Int
    /// Service name → ZeroMQ endpoint its listener binds (others connect to it).
    public var bus: [String: String]
    /// The largest HTTP request body the ingress accepts.
    public var maxBodyBytes: Int
    /// Keys, roster and whether the bus runs without them.
    public var busSecurity = BusSecuritySettings()
    /// How long the ingress waits for a connection's request head, then for its body, and on an
    /// idle connection, before closing it; a client that dribbles bytes cannot hold one forever.
    public var http = HTTPTimeouts()

    public struct HTTPTimeouts: Sendable, Equatable, Codable {
        public var headerSeconds: Double = 10
        public var bodySeconds: Double = 30
        public var idleSeconds: Double = 60

        public init() {}

        /// Positive and at most a day: a timeout becomes a whole number of milliseconds, which
        /// an infinite or astronomically large value would overflow.
        public static func isValid(_ seconds: Double) -> Bool { seconds > 0 && seconds <= 86_400 }
    }
    /// How long personal data and custody rows stay at rest.
    public var retention: RetentionPolicy
    /// Service name → the key that seals its personal data at rest (`env:NAME` or `file:/path`).
    public var dataKeys: [String: SecretReference]

    public static let services = ["router", "orchestrator", "trust", "gateway", "tools"]

    public init(dataDirectory: String = "data", httpHost: String = "127.0.0.1", httpPort: Int = 8080, bus: [String: String]? = nil, maxBodyBytes: Int = 256 * 1024) {
        self.dataDirectory = dataDirectory
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.bus = bus ?? Self.busEndpoints(basePort: 5701)
        self.maxBodyBytes = maxBodyBytes
        retention = RetentionPolicy()
        dataKeys = [:]
    }

    /// Where `service`'s data key is: as configured, else `env:LOOM_<SERVICE>_DATA_KEY`. A
    /// service whose key is not configured and not in that variable generates one.
    public func dataKey(of service: String) -> SecretReference {
        dataKeys[service] ?? SecretReference("env:LOOM_\(service.uppercased())_DATA_KEY")
    }

    /// Whether `service`'s data key was named in `suite.yaml` (then a missing key is an error).
    public func dataKeyIsConfigured(for service: String) -> Bool { dataKeys[service] != nil }

    /// Consecutive loopback ports from `basePort`, in ``services`` order.
    public static func busEndpoints(basePort: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: services.enumerated().map { ($1, "tcp://127.0.0.1:\(basePort + $0)") })
    }

    /// Reads `suite.yaml` from `directory` when present, then applies environment overrides:
    /// `LOOM_DATA_DIR`, `LOOM_HTTP_HOST`, `LOOM_HTTP_PORT`, `LOOM_HTTP_{HEADER,BODY,IDLE}_TIMEOUT`
    /// (seconds), `LOOM_BUS_<SERVICE>`.
    public static func load(directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> SuiteLayout {
        var layout = SuiteLayout()
        let path = directory.appendingPathComponent("suite.yaml").path
        if FileManager.default.fileExists(atPath: path) {
            let file = try YAMLFile(path: path, displayName: directory.lastPathComponent + "/suite.yaml")
            let decoded = try file.decode(SuiteFile.self)
            layout.dataDirectory = decoded.dataDirectory ?? layout.dataDirectory
            layout.httpHost = decoded.http?.host ?? layout.httpHost
            layout.httpPort = decoded.http?.port ?? layout.httpPort
            layout.maxBodyBytes = decoded.http?.maxBodyBytes ?? layout.maxBodyBytes
            layout.http.headerSeconds = decoded.http?.headerTimeoutSeconds ?? layout.http.headerSeconds
            layout.http.bodySeconds = decoded.http?.bodyTimeoutSeconds ?? layout.http.bodySeconds
            layout.http.idleSeconds = decoded.http?.idleTimeoutSeconds ?? layout.http.idleSeconds
            let timeouts = [
                ("headerTimeoutSeconds", layout.http.headerSeconds), ("bodyTimeoutSeconds", layout.http.bodySeconds),
                ("idleTimeoutSeconds", layout.http.idleSeconds),
            ]
            for (key, seconds) in timeouts where !HTTPTimeouts.isValid(seconds) {
                throw ConfigError(issues: [file.issue(key: ["http", key], "must be seconds above 0, at most 86400")])
            }
            if let bus = decoded.bus {
                layout.busSecurity = BusSecuritySettings(
                    insecure: bus.insecure ?? false, keysDirectory: bus.keys, roster: bus.roster.map(SecretReference.init),
                    secretKey: bus.secretKey.map(SecretReference.init))
            }
            layout.retention = decoded.retention ?? layout.retention
            for (service, reference) in decoded.dataKeys ?? [:] {
                guard services.contains(service) else {
                    throw ConfigError(issues: [file.issue(key: ["dataKeys", service], "unknown service")])
                }
                guard reference.isIndirect else {
                    let issue = file.issue(key: ["dataKeys", service], "name the key (env:NAME or file:/path)")
                    throw ConfigError(issues: [issue])
                }
                layout.dataKeys[service] = reference
            }
            for (service, endpoint) in decoded.bus?.endpoints ?? [:] {
                guard services.contains(service) else {
                    let expected = (services + BusSecuritySettings.keys.sorted()).joined(separator: ", ")
                    throw ConfigError(issues: [file.issue(key: ["bus", service], "unknown service or setting (expected one of: \(expected))")])
                }
                layout.bus[service] = endpoint
            }
        }
        if let value = environment["LOOM_DATA_DIR"] { layout.dataDirectory = value }
        if let value = environment["LOOM_HTTP_HOST"] { layout.httpHost = value }
        if let value = environment["LOOM_HTTP_PORT"] {
            guard let port = Int(value), (1...65535).contains(port) else {
                throw ConfigError(issues: [ConfigIssue(file: "environment", key: "LOOM_HTTP_PORT", message: "not a port: '\(value)'")])
            }
            layout.httpPort = port
        }
        let timeoutVariables: [(String, WritableKeyPath<HTTPTimeouts, Double>)] = [
            ("LOOM_HTTP_HEADER_TIMEOUT", \.headerSeconds), ("LOOM_HTTP_BODY_TIMEOUT", \.bodySeconds),
            ("LOOM_HTTP_IDLE_TIMEOUT", \.idleSeconds),
        ]
        for (name, keyPath) in timeoutVariables {
            guard let value = environment[name] else { continue }
            guard let seconds = Double(value), HTTPTimeouts.isValid(seconds) else {
                let message = "not seconds above 0, at most 86400: '\(value)'"
                let issue = ConfigIssue(file: "environment", key: name, message: message)
                throw ConfigError(issues: [issue])
            }
            layout.http[keyPath: keyPath] = seconds
        }
        for service in services {
            if let value = environment["LOOM_BUS_\(service.uppercased())"] { layout.bus[service] = value }
        }
        try layout.busSecurity.apply(environment: environment)
        return layout
    }

    public func endpoint(of service: String) -> String {
        bus[service] ?? "tcp://127.0.0.1:0"
    }
}

private struct SuiteFile: Decodable {
    struct HTTP: Decodable {
        var host: String?
        var port: Int?
        var maxBodyBytes: Int?
        var headerTimeoutSeconds: Double?
        var bodyTimeoutSeconds: Double?
        var idleTimeoutSeconds: Double?
    }

    var dataDirectory: String?
    var http: HTTP?
    var bus: BusSection?
    var retention: RetentionPolicy?
    var dataKeys: [String: SecretReference]?
}

/// `bus:` holds service endpoints and, under reserved names, the security settings.
private struct BusSection: Decodable {
    var endpoints: [String: String] = [:]
    var insecure: Bool?
    var keys: String?
    var roster: String?
    var secretKey: String?

    struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        for key in container.allKeys {
            switch key.stringValue {
            case "insecure": insecure = try container.decode(Bool.self, forKey: key)
            case "keys": keys = try container.decode(String.self, forKey: key)
            case "roster": roster = try container.decode(String.self, forKey: key)
            case "secretKey": secretKey = try container.decode(String.self, forKey: key)
            default: endpoints[key.stringValue] = try container.decode(String.self, forKey: key)
            }
        }
    }
}
