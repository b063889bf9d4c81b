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

    public static let services = ["router", "orchestrator", "trust", "gateway", "tools"]

    public init(dataDirectory: String = "data", httpHost: String = "127.0.0.1", httpPort: Int = 8080, bus: [String: String]? = nil, maxBodyBytes: Int = 256 * 1024) {
        self.dataDirectory = dataDirectory
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.bus = bus ?? Self.busEndpoints(basePort: 5701)
        self.maxBodyBytes = maxBodyBytes
    }

    /// Consecutive loopback ports from `basePort`, in ``services`` order.
    public static func busEndpoints(basePort: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: services.enumerated().map { ($1, "tcp://127.0.0.1:\(basePort + $0)") })
    }

    /// Reads `suite.yaml` from `directory` when present, then applies environment overrides:
    /// `LOOM_DATA_DIR`, `LOOM_HTTP_HOST`, `LOOM_HTTP_PORT`, `LOOM_BUS_<SERVICE>`.
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
            if let bus = decoded.bus {
                layout.busSecurity = BusSecuritySettings(
                    insecure: bus.insecure ?? false, keysDirectory: bus.keys, roster: bus.roster.map(SecretReference.init),
                    secretKey: bus.secretKey.map(SecretReference.init))
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
    }

    var dataDirectory: String?
    var http: HTTP?
    var bus: BusSection?
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
