import Foundation
import LoomConfig
import Testing

/// `suite.yaml`'s retention windows and data keys.
@Suite struct SuiteRetentionTests {
    func layout(_ text: String) throws -> SuiteLayout {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-suite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try text.write(to: directory.appendingPathComponent("suite.yaml"), atomically: true, encoding: .utf8)
        return try SuiteLayout.load(directory: directory, environment: [:])
    }

    @Test func windowsParseWithUnitsAndDefaultWhenUnset() throws {
        let parsed = try layout(
            "retention: { messageBodies: 12h, custody: 90m, replyCache: 45s }\ndataKeys: { router: env:ROUTER_SEAL }\n")
        #expect(parsed.retention.messageBodies == 43_200)
        #expect(parsed.retention.custody == 5_400)
        #expect(parsed.retention.replyCache == 45)
        #expect(parsed.retention.dedup == 30 * RetentionPolicy.day)
        #expect(parsed.dataKey(of: "router") == SecretReference("env:ROUTER_SEAL"))
        #expect(parsed.dataKeyIsConfigured(for: "router"))
        #expect(parsed.dataKey(of: "tools") == SecretReference("env:LOOM_TOOLS_DATA_KEY"))
        #expect(!parsed.dataKeyIsConfigured(for: "tools"))
        #expect(try layout("http: { port: 8080 }\n").retention == RetentionPolicy())
    }

    @Test func badWindowsAndLiteralKeysAreRefused() throws {
        #expect(throws: ConfigError.self) { try layout("retention: { custody: soon }\n") }
        #expect(throws: ConfigError.self) { try layout("retention: { custody: -1d }\n") }
        #expect(throws: ConfigError.self) { try layout("dataKeys: { router: c2VjcmV0 }\n") }
        #expect(throws: ConfigError.self) { try layout("dataKeys: { nobody: env:X }\n") }
    }
}
