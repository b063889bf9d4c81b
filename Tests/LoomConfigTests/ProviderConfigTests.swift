import Foundation
import LoomConfig
import Testing

/// Providers: keys only by reference and only for the gateway, fallbacks, limits, moderation.
@Suite struct ProviderConfigTests {
    let helper = MetadataTests()

    func sampleProviders() throws -> String {
        try String(contentsOf: MetadataTests.sample.appendingPathComponent("providers.yaml"), encoding: .utf8)
    }

    @Test func keysAreReferencedNeverWrittenIntoMetadata() throws {
        let issues = try helper.issues(replacing: "providers.yaml", with: try sampleProviders() + """
              pasted:
                type: openai
                model: gpt-x
                apiKey: not-a-reference
              keyless:
                type: anthropic
                model: claude-x
              local:
                type: openai
                model: llama3
                baseURL: http://localhost:11434/v1
              commented:
                type: openai
                model: gpt-x
                apiKey: env:OPENAI_API_KEY
                # old key: sk-proj-abcdefghijklmnopqrstuvwxyz012345

            """)
        #expect(issues.contains { $0.key == "providers.pasted.apiKey" && $0.message.contains("must not be written into metadata") })
        #expect(issues.contains { $0.key == "providers.keyless.apiKey" && $0.message.contains("required") })
        // A local compatible server needs no key.
        #expect(!issues.contains { $0.key.hasPrefix("providers.local") })
        #expect(issues.contains { $0.file.hasSuffix("providers.yaml") && $0.message.contains("looks like a provider API key") && $0.line != nil }, "\(issues)")
    }

    @Test func anEndpointMayNotNameAProvidersKey() throws {
        let (directory, folder) = try helper.metadata(replacing: "providers.yaml", with: try sampleProviders() + """
              hosted:
                type: openai
                model: gpt-x
                apiKey: env:OPENAI_API_KEY

            """)
        defer { _ = folder }
        let endpoints = directory.appendingPathComponent("endpoints.yaml")
        let text = try String(contentsOf: endpoints, encoding: .utf8)
        try (text + "  leaky: { channel: api, apiKeys: [env:OPENAI_API_KEY] }\n").write(to: endpoints, atomically: true, encoding: .utf8)
        let issues: [ConfigIssue]
        do {
            _ = try LoomMetadata.load(directory: directory)
            issues = []
        } catch {
            issues = error.issues
        }
        #expect(issues.map(\.key) == ["endpoints.leaky.apiKeys.0"])
        #expect(issues.first?.message.contains("provider 'hosted''s key") == true)
    }

    @Test func fallbacksLimitsAndRetriesAreChecked() throws {
        let issues = try helper.issues(replacing: "providers.yaml", with: try sampleProviders() + """
              primary:
                type: openai
                model: gpt-x
                apiKey: env:OPENAI_API_KEY
                fallback: [primary, nowhere, scripted]
                retries: { maxAttempts: 0 }
                limits: { concurrency: 0, requestsPerMinute: 10 }
                timeouts: { totalSeconds: 0 }
                moderationModel: omni-moderation-latest
              claude:
                type: anthropic
                model: claude-x
                apiKey: file:/run/secrets/anthropic
                moderationModel: nope

            """)
        #expect(Set(issues.map(\.key)) == [
            "providers.primary.fallback.0", "providers.primary.fallback.1", "providers.primary.retries.maxAttempts",
            "providers.primary.limits.concurrency", "providers.primary.timeouts", "providers.claude.moderationModel",
        ])
    }
}
