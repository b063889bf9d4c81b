import Foundation
import LoomConfig
import LoomContract
import Testing

/// Each service process gets an environment built from an allow-list: the base, and its own
/// secrets only.
@Suite struct ProcessEnvironmentTests {
    let helper = MetadataTests()
    static let services = ["ingress", "router", "orchestrator", "gateway", "tools", "trust"]

    /// The operator's shell: base variables, every kind of secret, and an unrelated one.
    static let shell: [String: String] = [
        "PATH": "/usr/bin", "HOME": "/home/op", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC",
        "LOOM_PARENT_PID": "42", "LOOM_LOG_LEVEL": "debug",
        "OPENAI_API_KEY": "sk-open", "ANTHROPIC_API_KEY": "sk-ant", "AZURE_OPENAI_API_KEY": "az",
        "SLACK_SIGNING_SECRET": "slack-sign", "SLACK_BOT_TOKEN": "xoxb", "TWILIO_AUTH_TOKEN": "twilio",
        "META_APP_SECRET": "meta", "MAIL_RELAY_TOKEN": "relay", "LOOM_VAULT_KEY": "vault",
        "LOOM_ROUTER_DATA_KEY": "router-key", "LOOM_TOOLS_DATA_KEY": "tools-key",
        "AWS_SECRET_ACCESS_KEY": "aws", "GITHUB_TOKEN": "ghp", "HTTPS_PROXY": "http://user:pw@proxy",
    ]
    static let base: Set = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "LOOM_PARENT_PID", "LOOM_LOG_LEVEL"]

    func names(_ service: String, _ metadata: LoomMetadata, layout: SuiteLayout = SuiteLayout()) -> Set<String> {
        Set(ProcessEnvironment.allowed(for: service, from: Self.shell, metadata: metadata, layout: layout).keys)
    }

    @Test func eachServiceGetsTheBaseAndItsOwnSecretsOnly() throws {
        // The sample names no provider key: the well-known ones still reach the gateway alone.
        let metadata = try LoomMetadata.load(directory: MetadataTests.sample)
        #expect(metadata.providers.values.allSatisfy { $0.apiKey == nil })
        let expected: [String: Set<String>] = [
            "gateway": ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY", "HTTPS_PROXY"],
            "ingress": [
                "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "TWILIO_AUTH_TOKEN", "META_APP_SECRET", "MAIL_RELAY_TOKEN",
                "HTTPS_PROXY",
            ],
            "trust": ["LOOM_VAULT_KEY"],
            "router": ["LOOM_ROUTER_DATA_KEY"],
            "tools": ["LOOM_TOOLS_DATA_KEY"],
            "orchestrator": [],
        ]
        for service in Self.services {
            #expect(names(service, metadata) == Self.base.union(expected[service] ?? []), "\(service)")
        }
        // Another ingress instance is the ingress.
        #expect(names("ingress-2", metadata) == names("ingress", metadata))
        // Values pass unchanged.
        let gateway = ProcessEnvironment.allowed(for: "gateway", from: Self.shell, metadata: metadata)
        #expect(gateway["OPENAI_API_KEY"] == "sk-open")
    }

    @Test func variablesTheMetadataNamesBelongToTheirService() throws {
        let (directory, folder) = try helper.metadata(
            replacing: "trust.yaml",
            with: """
                trust:
                  vaultKey: env:LOOM_SEAL_KEY
                  approvals: { approvers: { leads: { tokens: [env:LEAD_TOKEN] } } }

                """)
        defer { _ = folder }
        var providers = try String(contentsOf: directory.appendingPathComponent("providers.yaml"), encoding: .utf8)
        providers += "  hosted: { type: openai, model: gpt-x, apiKey: env:LOOM_HOSTED_KEY }\n"
        try providers.write(to: directory.appendingPathComponent("providers.yaml"), atomically: true, encoding: .utf8)
        let metadata = try LoomMetadata.load(directory: directory)
        var layout = SuiteLayout()
        layout.dataKeys["router"] = SecretReference("env:ROUTER_SEAL")
        let shell = [
            "PATH": "/usr/bin", "LOOM_SEAL_KEY": "v", "LEAD_TOKEN": "t", "LOOM_HOSTED_KEY": "k", "ROUTER_SEAL": "r",
        ]
        func names(_ service: String) -> Set<String> {
            Set(ProcessEnvironment.allowed(for: service, from: shell, metadata: metadata, layout: layout).keys)
        }
        // A LOOM_ variable that is another service's secret is not part of the base.
        #expect(names("trust") == ["PATH", "LOOM_SEAL_KEY", "LEAD_TOKEN"])
        #expect(names("gateway") == ["PATH", "LOOM_HOSTED_KEY"])
        #expect(names("router") == ["PATH", "ROUTER_SEAL"])
        // Approver tokens are checked at the HTTP edge too.
        #expect(names("ingress") == ["PATH", "LEAD_TOKEN"])
        for service in ["orchestrator", "tools"] { #expect(names(service) == ["PATH"], "\(service)") }
        #expect(ProcessEnvironment.foreignSecrets(for: "tools", metadata: metadata, layout: layout).isSuperset(of: [
            "LOOM_SEAL_KEY", "LEAD_TOKEN", "LOOM_HOSTED_KEY", "ROUTER_SEAL", "OPENAI_API_KEY", "SLACK_BOT_TOKEN",
        ]))
    }

    @Test func anMcpServersVariablesReachTheToolsServiceOnly() throws {
        var metadata = try LoomMetadata.load(directory: MetadataTests.sample)
        let stdio = try CommandBackend(backend: [
            "executable": .string("/usr/bin/true"), "environment": .array([.string("GITHUB_TOKEN")]),
        ])
        metadata.mcpServers["code"] = McpServerDefinition(stdio: stdio)
        #expect(names("tools", metadata).contains("GITHUB_TOKEN"))
        for service in Self.services where service != "tools" {
            #expect(!names(service, metadata).contains("GITHUB_TOKEN"), "\(service)")
        }
    }
}
