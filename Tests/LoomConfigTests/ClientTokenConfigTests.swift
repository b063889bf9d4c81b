import Foundation
import LoomConfig
import Testing

/// `clients.yaml`: the HTTP API's callers, their roles and where their tokens are.
@Suite struct ClientTokenConfigTests {
    let helper = MetadataTests()

    @Test func clientsAreReadWithTheirRolesAndTokenReferences() throws {
        let (directory, folder) = try helper.metadata(replacing: "clients.yaml", with: """
            clients:
              - { name: ops, role: operator, token: env:LOOM_OPS_TOKEN }
              - { name: ana, role: approver, token: "file:/run/secrets/ana" }
              - { name: shop-backend, role: client, token: env:SHOP_TOKEN }
            """)
        defer { _ = folder }
        let metadata = try LoomMetadata.load(directory: directory)
        #expect(metadata.clients.map(\.name) == ["ops", "ana", "shop-backend"])
        #expect(metadata.clients.map(\.role) == [.operator, .approver, .client])
        #expect(metadata.clients[0].token.resolve(environment: ["LOOM_OPS_TOKEN": "s3cret"]) == "s3cret")
    }

    @Test func withoutTheFileThereAreNoClients() throws {
        #expect(try LoomMetadata.load(directory: MetadataTests.sample).clients.isEmpty)
    }

    @Test func badNamesRepeatsLiteralTokensAndSharedTokensAreReportedWithTheirLines() throws {
        let issues = try helper.issues(replacing: "clients.yaml", with: """
            clients:
              - { name: ops, role: operator, token: env:A }
              - { name: ops, role: client, token: env:B }
              - { name: "has space", role: client, token: env:C }
              - { name: literal, role: client, token: hunter2 }
              - { name: twin, role: client, token: env:A }
            """)
        #expect(issues.map(\.key) == ["clients.1.name", "clients.2.name", "clients.3.token", "clients.4.token"])
        #expect(issues.map(\.line) == [3, 4, 5, 6])
        #expect(issues.allSatisfy { $0.file.hasSuffix("clients.yaml") })
        #expect(issues[2].message.contains("env:NAME or file:/path"))
        #expect(issues[3].message.contains("already another client's token"))
    }

    @Test func anUnknownRoleNamesTheRolesThereAre() throws {
        let issues = try helper.issues(replacing: "clients.yaml", with: """
            clients:
              - { name: ops, role: admin, token: env:A }
            """)
        #expect(issues.count == 1)
        #expect(issues.first?.key == "clients.0.role")
        #expect(issues.first?.message.contains("operator, approver, client") == true, "\(issues)")
    }
}
