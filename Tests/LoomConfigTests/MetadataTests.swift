import Foundation
import LoomConfig
import Testing

@Suite struct MetadataTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("compose")

    /// A copy of the sample metadata with one file replaced.
    func metadata(replacing file: String, with text: String) throws -> (URL, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let target = folder.url.appendingPathComponent("meta")
        try FileManager.default.copyItem(at: Self.sample, to: target)
        try text.write(to: target.appendingPathComponent(file), atomically: true, encoding: .utf8)
        return (target, folder)
    }

    func issues(replacing file: String, with text: String) throws -> [ConfigIssue] {
        let (directory, folder) = try metadata(replacing: file, with: text)
        defer { _ = folder }
        do {
            _ = try LoomMetadata.load(directory: directory)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func theSampleMetadataIsValid() throws {
        let metadata = try LoomMetadata.load(directory: Self.sample)
        #expect(metadata.agents["support"]?.memory.strategy == .bufferWindow)
        #expect(metadata.route(forEndpoint: "api")?.agent == "support")
        #expect(metadata.records.records["case"]?.isEmpty == false)
    }

    @Test func anUnknownEnumValueNamesFileKeyLineAndTheAllowedValues() throws {
        let issues = try issues(replacing: "agents.yaml", with: """
            agents:
              support:
                provider: scripted
                identity: You help.
                memory:
                  strategy: forever
            """)
        let issue = try #require(issues.first)
        #expect(issue.file == "meta/agents.yaml")
        #expect(issue.key == "agents.support.memory.strategy")
        #expect(issue.line == 6)
        #expect(issue.message.contains("forever") && issue.message.contains("bufferWindow"))
    }

    @Test func anAgentsPhoneRegionIsATwoLetterCountryCode() throws {
        for (region, valid) in [("FR", true), ("fr", false), ("FRA", false), ("1", false)] {
            let issues = try issues(replacing: "agents.yaml", with: """
                agents:
                  support:
                    provider: scripted
                    identity: You help.
                    trust:
                      region: "\(region)"
                """)
            #expect(issues.contains { $0.key == "agents.support.trust.region" } == !valid, "\(region): \(issues)")
        }
    }

    @Test func aMissingRequiredKeyIsNamed() throws {
        let issues = try issues(replacing: "agents.yaml", with: "agents:\n  support:\n    identity: x\n")
        #expect(issues.first?.key == "agents.support.provider")
        #expect(issues.first?.message == "required key is missing")
    }

    @Test func referencesMustResolve() throws {
        let issues = try issues(replacing: "routes.yaml", with: """
            routes:
              - name: a
                endpoint: api
                agent: ghost
              - name: a
                endpoint: api
                agent: support
            """)
        let text = issues.map(\.description).joined(separator: "\n")
        #expect(text.contains("routes.0.agent: unknown agent 'ghost'"))
        #expect(text.contains("duplicate route name 'a'"))
        #expect(text.contains("overlaps routes.0"))
    }

    @Test func unknownProviderAndBadPatternAreReported() throws {
        let agents = try issues(replacing: "agents.yaml", with: "agents:\n  support:\n    provider: nowhere\n    identity: x\n")
        #expect(agents.contains { $0.key == "agents.support.provider" && $0.message.contains("nowhere") })
        let providers = try issues(replacing: "providers.yaml", with: """
            providers:
              scripted:
                type: scripted
                model: m
                rules:
                  - when: "(unclosed"
                    reply: x
            """)
        #expect(providers.contains { $0.key == "providers.scripted.rules.0.when" })
    }

    @Test func invalidYAMLIsReportedWithItsLine() throws {
        let issues = try issues(replacing: "endpoints.yaml", with: "endpoints:\n  api: [unclosed\n")
        #expect(issues.first?.file == "meta/endpoints.yaml")
        #expect(issues.first?.line != nil)
        #expect(issues.first?.message.hasPrefix("not valid YAML") == true)
    }

    @Test func suiteLayoutHonoursEnvironmentOverrides() throws {
        let layout = try SuiteLayout.load(directory: Self.sample, environment: ["LOOM_HTTP_PORT": "9999", "LOOM_BUS_ROUTER": "tcp://127.0.0.1:1"])
        #expect(layout.httpPort == 9999)
        #expect(layout.endpoint(of: "router") == "tcp://127.0.0.1:1")
        #expect(layout.endpoint(of: "trust") == "tcp://127.0.0.1:5703")
        #expect(throws: ConfigError.self) { try SuiteLayout.load(directory: Self.sample, environment: ["LOOM_HTTP_PORT": "http"]) }
    }
}

final class TemporaryFolder: Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}
