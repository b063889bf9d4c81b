import Foundation
import LoomConfig
import Testing

/// Endpoints and routes: each channel's required settings, secret references, and routes that
/// could claim the same message.
@Suite struct ChannelConfigTests {
    let helper = MetadataTests()

    @Test func routesThatCouldBothOwnAMessageOverlap() throws {
        let issues = try helper.issues(replacing: "routes.yaml", with: """
            routes:
              - { name: default, endpoint: api, agent: support }
              - { name: vip, endpoint: api, agent: support, when: { senderDomain: vip.test } }
              - { name: refunds, endpoint: api, agent: support, when: { keyword: refund } }
              - { name: vip-refunds, endpoint: api, agent: support, when: { senderDomain: vip.test, keyword: refund } }
              - { name: vip-again, endpoint: api, agent: support, when: { senderDomain: VIP.test } }
            """)
        // vip and refunds both match "refund" from vip.test with one condition each; vip-again repeats vip.
        #expect(issues.map(\.key) == ["routes.2.endpoint", "routes.4.endpoint"])
        #expect(issues.first?.message.contains("overlaps routes.1") == true)
    }

    @Test func theMostSpecificMatchingRouteWins() throws {
        let (directory, folder) = try helper.metadata(replacing: "routes.yaml", with: """
            routes:
              - { name: default, endpoint: api, agent: support }
              - { name: vip-refunds, endpoint: api, agent: support, delivery: review, when: { senderDomain: vip.test, keyword: refund } }
            """)
        defer { _ = folder }
        let metadata = try LoomMetadata.load(directory: directory)
        #expect(metadata.route(forEndpoint: "api", sender: "a@vip.test", text: "A REFUND, please")?.name == "vip-refunds")
        #expect(metadata.route(forEndpoint: "api", sender: "a@vip.test", text: "refunded")?.name == "default")  // whole words only
        #expect(metadata.route(forEndpoint: "api", sender: "a@sub.vip.test", text: "refund")?.name == "default")
    }

    @Test func eachChannelNamesTheSettingsItCannotWorkWithout() throws {
        let issues = try helper.issues(replacing: "endpoints.yaml", with: """
            endpoints:
              api: { channel: api }
              slack: { channel: slack, signingSecret: env:SLACK_SIGNING_SECRET }
              wa: { channel: whatsapp }
              sms: { channel: sms, carrier: meta, accountSid: AC1, authToken: t }
              mail: { channel: email, relayToken: x, address: a@b.test, smtpHost: localhost, smtpPort: 0, apiBaseURL: "ftp://x" }
            """)
        let keys = Set(issues.map(\.key))
        #expect(keys.contains("endpoints.slack.accessToken"))
        #expect(!keys.contains("endpoints.slack.signingSecret"))
        #expect(keys.contains("endpoints.wa.carrier"))
        #expect(keys.contains("endpoints.sms.carrier"))
        #expect(keys.contains("endpoints.mail.smtpPort") && keys.contains("endpoints.mail.apiBaseURL"))
    }

    @Test func secretReferencesReadTheEnvironmentOrAFileAndNeverPrintALiteral() throws {
        #expect(SecretReference("env:TOKEN").resolve(environment: ["TOKEN": "s3cret"]) == "s3cret")
        #expect(SecretReference("env:TOKEN").resolve(environment: [:]) == nil)
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("token")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(SecretReference("file:\(file.path)").resolve() == "from-file")
        #expect(SecretReference("plain").resolve() == "plain")
        #expect("\(SecretReference("plain"))" == "<literal>")
    }
}

/// Capabilities: references from agents, schemas, standard actions and backends.
@Suite struct CapabilityConfigTests {
    let helper = MetadataTests()

    @Test func theSampleCapabilitiesLoad() throws {
        let metadata = try LoomMetadata.load(directory: MetadataTests.sample)
        #expect(metadata.agents["support"]?.capabilities.contains("get_record") == true)
        #expect(metadata.capabilities["post_case_note"]?.effect == .irreversible)
        #expect(metadata.capabilities["update_case_status"]?.effect == .idempotent)
        #expect(metadata.capabilities["get_record"]?.sideEffects == false)
        #expect(metadata.capabilities["shipping_quote"]?.effect == .readOnly)
        #expect(metadata.capabilities["get_record"]?.action == "get_record")
    }

    @Test func badCapabilitiesAreReportedWithTheirKeys() throws {
        let issues = try helper.issues(replacing: "capabilities.yaml", with: """
            capabilities:
              broken:
                description: x
                backend: { action: delete_everything, objectTypes: [ghost] }
                parameters: { type: object, properties: { a: { type: text } } }
              child:
                description: y
                type: agent
                backend: { agent: nobody }
            """)
        let keys = issues.map(\.key)
        #expect(keys.contains("capabilities.broken.backend.action"))
        #expect(keys.contains("capabilities.broken.backend.objectTypes"))
        #expect(keys.contains("capabilities.broken.parameters"))
        #expect(keys.contains("capabilities.child.backend.agent"))
        // The sample agent names capabilities this file no longer has.
        #expect(keys.contains("agents.support.capabilities.0"))
    }

    @Test func effectsComeFromTheDeclarationTheOlderFlagOrTheKindOfTool() throws {
        func effect(_ fields: String) throws -> CapabilityDefinition.Effect {
            try JSONDecoder().decode(CapabilityDefinition.self, from: Data(#"{"description": "x", \#(fields)}"#.utf8)).effect
        }
        #expect(try effect(#""type": "command", "backend": {"executable": "/bin/true"}"#) == .irreversible)
        #expect(try effect(#""type": "command", "sideEffects": false"#) == .readOnly)
        #expect(try effect(#""sideEffects": true"#) == .irreversible)
        #expect(try effect(#""effect": "idempotent", "sideEffects": true"#) == .idempotent)
        #expect(throws: DecodingError.self) { try effect(#""effect": "readOnly", "sideEffects": true"#) }
        let issues = try helper.issues(replacing: "capabilities.yaml", with: """
            capabilities:
              quiet_note:
                description: x
                effect: readOnly
                backend: { action: post_note, objectTypes: [case] }
            """)
        #expect(issues.contains { $0.key == "capabilities.quiet_note.effect" })
    }

    @Test func aCapabilityDefinedTwiceIsReported() throws {
        let text = try String(contentsOf: MetadataTests.sample.appendingPathComponent("capabilities.yaml"), encoding: .utf8)
            + "  get_record:\n    description: again\n"
        let issues = try helper.issues(replacing: "capabilities.yaml", with: text)
        #expect(issues.first?.message.contains("duplicated key(s): 'get_record'") == true)
    }

    @Test func aCapabilityListedTwiceIsReported() throws {
        let agents = try String(contentsOf: MetadataTests.sample.appendingPathComponent("agents.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "capabilities: [get_record, ", with: "capabilities: [get_record, get_record, ")
        let issues = try helper.issues(replacing: "agents.yaml", with: agents)
        #expect(issues.contains { $0.key == "agents.support.capabilities.1" && $0.message.contains("twice") })
    }
}

/// The config check names every secret reference that does not resolve where it runs.
@Suite struct SecretCheckTests {
    @Test func anUnsetChannelSecretIsNamedWithItsEndpointAndKey() throws {
        let metadata = try LoomMetadata.load(directory: MetadataTests.sample)
        let layout = SuiteLayout()
        let unset = SecretCheck.unresolved(metadata, layout: layout, environment: [:])
        let slack = try #require(unset.first { $0.key == "endpoints.slack.signingSecret" })
        #expect(slack.file == "endpoints.yaml" && slack.reference == "env:SLACK_SIGNING_SECRET")
        #expect(slack.description.contains("SLACK_SIGNING_SECRET is not set"))
        let set = SecretCheck.unresolved(metadata, layout: layout, environment: ["SLACK_SIGNING_SECRET": "s3cret"])
        #expect(!set.contains { $0.key == "endpoints.slack.signingSecret" })
        #expect(set.count == unset.count - 1)
    }
}
