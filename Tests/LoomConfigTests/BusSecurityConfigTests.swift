import Foundation
import LoomConfig
import Testing

/// `suite.yaml`'s `bus:` section holds service endpoints and, under reserved names, where the
/// keys are and whether the bus runs without them; the environment overrides both.
struct BusSecurityConfigTests {
    func layout(_ yaml: String?, environment: [String: String] = [:]) throws -> SuiteLayout {
        let folder = try TemporaryFolder()
        if let yaml {
            try yaml.write(to: folder.url.appendingPathComponent("suite.yaml"), atomically: true, encoding: .utf8)
        }
        return try SuiteLayout.load(directory: folder.url, environment: environment)
    }

    @Test func keysDefaultToTheDataDirectoryAndTheBusIsAuthenticated() throws {
        let layout = try layout("dataDirectory: /var/lib/loom\n")
        #expect(!layout.busSecurity.insecure)
        #expect(layout.busSecurity.keysDirectory(dataDirectory: layout.dataDirectory).path == "/var/lib/loom/keys")
    }

    @Test func settingsSitBesideTheEndpoints() throws {
        let layout = try layout("""
            bus:
              router: tcp://10.0.0.5:5701
              keys: /etc/loom/keys
              roster: file:/run/secrets/roster
              secretKey: env:MY_BUS_KEY
              insecure: true
            """)
        #expect(layout.endpoint(of: "router") == "tcp://10.0.0.5:5701")
        #expect(layout.busSecurity.keysDirectory == "/etc/loom/keys")
        #expect(layout.busSecurity.roster == SecretReference("file:/run/secrets/roster"))
        #expect(layout.busSecurity.secretKey == SecretReference("env:MY_BUS_KEY"))
        #expect(layout.busSecurity.insecure)
    }

    @Test func theEnvironmentOverridesAndAnUnknownNameIsAnError() throws {
        let layout = try layout("bus: { insecure: true }", environment: [
            "LOOM_BUS_INSECURE": "false", "LOOM_BUS_KEYS": "/k", "LOOM_BUS_SECRET_KEY": "file:/k/router.key",
        ])
        #expect(!layout.busSecurity.insecure)
        #expect(layout.busSecurity.keysDirectory == "/k")
        #expect(layout.busSecurity.secretKey == SecretReference("file:/k/router.key"))
        #expect(throws: ConfigError.self) { try self.layout(nil, environment: ["LOOM_BUS_INSECURE": "maybe"]) }
        #expect(throws: ConfigError.self) { try self.layout("bus: { wizard: tcp://127.0.0.1:1 }") }
    }
}
