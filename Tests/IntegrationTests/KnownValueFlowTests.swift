import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// A whole tool turn under `strict` masking with every path that used to leak an original:
    /// context blocks cut near a card and an address, a tool that echoes the user's values in
    /// other layouts, a child agent whose own preset is `off`, and the history of a second turn.
    @Suite(.serialized) struct KnownValueFlowTests {
        static func metadata() throws -> URL {
            let directory = try ToolMetadata.make(peer: "echo_values.py", capabilities: """
                  echo_values:
                    description: Looks the customer up and says what it was given.
                    type: command
                    effect: readOnly
                    backend:
                      executable: tools/echo_values.py
                      limits: { wallSeconds: 5, cpuSeconds: 2, memoryMegabytes: 128, processes: 4, outputBytes: 4096 }
                    parameters:
                      type: object
                      required: [text]
                      properties:
                        text: { type: string }
                  classify_loosely:
                    description: Classify a message with a classifier that masks nothing itself.
                    type: agent
                    backend: { agent: loose-triage }
                    parameters:
                      type: object
                      required: [text]
                      properties:
                        text: { type: string, minLength: 1, maxLength: 4000 }

                """)
            let providers = directory.appendingPathComponent("providers.yaml")
            let rules = #"""
                      - when: "(?i)sort out case (C-\\d+): (.*)"
                        calls:
                          - { tool: get_record, arguments: { objectType: case, recordId: "{{1}}" } }
                          - { tool: echo_values, arguments: { text: "{{2}}" } }
                          - { tool: classify_loosely, arguments: { text: "{{2}}" } }
                        reply: "Case {{1}}: {{tool2.result.echo}}; {{tool3.result.output.category}}."

                """#
            let text = try String(contentsOf: providers, encoding: .utf8)
            try text.replacingOccurrences(of: "    rules:\n", with: "    rules:\n" + rules, options: [], range: nil)
                .write(to: providers, atomically: true, encoding: .utf8)
            // The case block is 167 characters; cut unmasked at 110 it would end in the card, at 150
            // in the address.
            try ProviderTests.append(to: directory.appendingPathComponent("agents.yaml"), #"""
                  careful:
                    provider: scripted
                    identity: You are careful with personal data.
                    capabilities: [get_record, echo_values, classify_loosely]
                    context:
                      - { name: case-card, source: record, objectType: case, idPattern: "C-\\d+", maxCharacters: 110 }
                      - { name: case-email, source: record, objectType: case, idPattern: "C-\\d+", maxCharacters: 150 }
                    trust: { masking: strict }
                  loose-triage:
                    strategy: direct
                    provider: triage
                    identity: You classify customer messages.
                    memory: { strategy: none, turns: 0 }
                    outputSchema:
                      type: object
                      required: [category, priority, summary]
                      properties:
                        category: { type: string }
                        priority: { type: string }
                        summary: { type: string }
                    trust: { masking: "off" }

                """#)
            let records = directory.appendingPathComponent("records.yaml")
            let seeded = try String(contentsOf: records, encoding: .utf8).replacingOccurrences(
                of: "  case:\n    - {",
                with: #"  case:\#n    - { id: "C-7001", accountId: "A-100", contactId: "P-100", subject: "Refund card 5500 0000 0000 0004 and write to jane.roe@example.net about it", status: "open", priority: "low" }\#n    - {"#)
            try seeded.write(to: records, atomically: true, encoding: .utf8)
            return directory
        }

        /// Every original, and every layout of one the echo tool writes back.
        static let originals = [
            "ana.lima@example.com", "ANA.LIMA@EXAMPLE.COM", "280-60-3269", "280603269", "4111 1111 1111 1111", "4111111111111111",
            "ORD-123456", "ord 123456", "5500 0000 0000 0004", "5500 0", "jane.roe", "example.net",
        ]

        @Test func noOriginalReachesAProviderAcrossAWholeToolTurn() async throws {
            let suite = try await SuiteHarness(configDirectory: try Self.metadata())
            defer { suite.stop() }
            let said = "I am ana.lima@example.com, SSN 280-60-3269, card 4111 1111 1111 1111, order ORD-123456, wrong charge"
            let first = try await suite.send(
                ["agent": "careful", "text": "Sort out case C-7001: \(said)", "sessionKey": "known-1"])
            #expect(first.json["status"] as? String == "completed", "\(first.json)")
            // The customer reads the values back, restored from the tokens the model used.
            let reply = try #require(first.json["reply"] as? String, "\(first.json)")
            #expect(
                reply.hasPrefix("Case C-7001: no customer for ana.lima@example.com / 280-60-3269 / 4111 1111 1111 1111"),
                "\(reply)")
            #expect(reply.hasSuffix("; billing."), "\(reply)")
            // A second turn carries the first as history.
            let second = try await suite.send(["agent": "careful", "text": "What did I say?", "sessionKey": "known-1"])
            #expect(second.json["status"] as? String == "completed")

            let log = try await suite.control(ProviderLogQuery(limit: 100), service: "gateway", expecting: ProviderLogResult.self)
            let requests = log.requests.filter { $0.agent == "careful" || $0.agent == "loose-triage" }
            let seen = String(decoding: try JSONEncoder().encode(requests), as: UTF8.self)
            for original in Self.originals { #expect(!seen.contains(original), "\(original) reached a provider") }

            // The system prompt's blocks: cut before the card's token, and whole once masked.
            let system = try #require(requests.first { $0.agent == "careful" }?.messages.first?.content)
            #expect(system.contains("subject: Refund card …[truncated]\n</context>"), "\(system)")
            let whole = try #require(system.range(of: #"subject: Refund card \[CARD_\d\] and write to \[EMAIL_\d\] about it\n</context>"#,
                options: .regularExpression), "\(system)")
            #expect(!system[whole].isEmpty)
            // The tool's echo came back as the user's tokens, the child saw tokens, history kept them.
            let toolResults = requests.flatMap(\.messages).filter { $0.role == .tool }.map(\.content).joined()
            #expect(toolResults.contains("no customer for [EMAIL_"), "\(toolResults)")
            let child = try #require(requests.first { $0.agent == "loose-triage" })
            #expect(child.messages.contains { $0.content.contains("[EMAIL_") && $0.content.contains("[CARD_") })
            let history = try #require(requests.last { $0.agent == "careful" })
            #expect(history.messages.contains { $0.role == .user && $0.content.contains("Sort out case C-7001: I am [EMAIL_") })
        }
    }
}
