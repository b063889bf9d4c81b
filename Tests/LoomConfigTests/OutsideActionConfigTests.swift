import Foundation
import LoomConfig
import Testing

/// `loom config check` on `http_callout` and `send_email` backends: each problem named with its
/// file, key and line; their secrets reach the tools service alone.
@Suite struct OutsideActionConfigTests {
    let helper = MetadataTests()

    func issues(_ yaml: String) throws -> [ConfigIssue] {
        let sample = try String(
            contentsOf: MetadataTests.sample.appendingPathComponent("capabilities.yaml"), encoding: .utf8)
        return try helper.issues(replacing: "capabilities.yaml", with: sample + yaml)
    }

    @Test func badCalloutSettingsAreNamed() throws {
        let issues = try issues(
            """
              shop:
                description: Calls the shop.
                backend:
                  action: http_callout
                  baseURL: "ftp://user:pw@shop.example.com/api?x=1"
                  method: TRACE
                  path: orders/{id}
                  headers: { Authorization: "Bearer ${shop_token}", "Bad Name": x }
                  maxRedirects: 50
                  allowedNetworks: [10.0.0.0/40]

            """)
        let messages = issues.filter { $0.key == "capabilities.shop.backend" }.map(\.message)
        for expected in [
            "baseURL must be an http or https URL with a host", "method must be one of", "path must start with '/'",
            "header 'Authorization': an unclosed or unknown", "'Bad Name' is not a header name", "maxRedirects must be",
            "'10.0.0.0/40' in allowedNetworks is not an address range",
        ] {
            #expect(messages.contains { $0.hasPrefix(expected) || $0.contains(expected) }, "\(expected): \(messages)")
        }
        #expect(issues.allSatisfy { $0.file.hasSuffix("capabilities.yaml") && $0.line != nil }, "\(issues)")
    }

    @Test func badEmailSettingsAreNamed() throws {
        let issues = try issues(
            """
              mailer:
                description: Sends mail.
                backend:
                  action: send_email
                  mode: send
                  from: "Support <support@example.com>"
                  smtp: { host: mx.example.com, security: plain, username: bot, password: hunter2 }

            """)
        let messages = issues.filter { $0.key == "capabilities.mailer.backend" }.map(\.message)
        for expected in [
            "from must be one plain address", "allowedRecipients must name", "STARTTLS only", "env:NAME or file:/path",
        ] {
            #expect(messages.contains { $0.contains(expected) }, "\(expected): \(messages)")
        }
        let missing = try self.issues(
            """
              mailer:
                description: Sends mail.
                backend: { action: send_email }

            """)
        #expect(
            missing.contains { $0.key == "capabilities.mailer.backend" && $0.message.contains("needs at least 'from'") }
        )
    }

    @Test func calloutAndMailSecretsReachTheToolsAlone() throws {
        let sample = try String(
            contentsOf: MetadataTests.sample.appendingPathComponent("capabilities.yaml"), encoding: .utf8)
        let (directory, folder) = try helper.metadata(
            replacing: "capabilities.yaml",
            with: sample + """
                  shop:
                    description: Calls the shop.
                    backend:
                      action: http_callout
                      baseURL: "https://shop.example.com"
                      headers: { X-Key: "${env:SHOP_KEY}" }
                  mailer:
                    description: Sends mail.
                    backend:
                      action: send_email
                      from: bot@example.com
                      allowedRecipients: [example.com]
                      smtp: { host: mx.example.com, username: bot, password: "env:SMTP_PASSWORD" }

                """)
        defer { _ = folder }
        let metadata = try LoomMetadata.load(directory: directory)
        let shell = ["PATH": "/usr/bin", "SHOP_KEY": "k", "SMTP_PASSWORD": "p"]
        for service in ["ingress", "router", "orchestrator", "gateway", "trust", "tools"] {
            let names = Set(ProcessEnvironment.allowed(for: service, from: shell, metadata: metadata).keys)
            #expect(
                names == (service == "tools" ? ["PATH", "SHOP_KEY", "SMTP_PASSWORD"] : ["PATH"]), "\(service): \(names)"
            )
        }
    }
}
