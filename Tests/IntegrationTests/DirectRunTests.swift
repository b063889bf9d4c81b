import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Direct agents: an input object in, an output object valid against the agent's schema out.
    @Suite(.serialized) struct DirectRunTests {
        static let rules = #"""
                  - when: "Your output was not valid: \\$\\.category"
                    reply: '{"category": "shipping", "priority": "normal", "summary": "Fixed after correction"}'
                  - when: "Your output was not valid: the output is not JSON"
                    reply: "Still thinking it is shipping."
                  - when: "(?i)gibberish"
                    reply: "I think this is about shipping, probably."
                  - when: "(?i)fixme"
                    reply: '{"category": "parcels", "priority": "normal", "summary": "Wrong category"}'

            """#

        static func metadata() throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
            let file = directory.appendingPathComponent("providers.yaml")
            let anchor = #"      - when: "(?i)refund|charge|invoice""#
            try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: anchor, with: rules + anchor)
                .write(to: file, atomically: true, encoding: .utf8)
            return directory
        }

        func run(_ suite: SuiteHarness, _ input: [String: Any], key: String? = nil, agent: String = "triage") async throws -> SuiteHarness.HTTPResponse {
            var headers = ["Content-Type": "application/json"]
            headers["Idempotency-Key"] = key
            return try await suite.http("POST", "/v1/agents/\(agent)/run", body: try JSONSerialization.data(withJSONObject: ["input": input]), headers: headers)
        }

        @Test func aDirectAgentReturnsSchemaValidOutputOrFailsCleanly() async throws {
            let suite = try await SuiteHarness(configDirectory: try Self.metadata())
            defer { suite.stop() }

            let billing = try await run(suite, ["text": "I was charged twice, please refund me", "customer": "ana@example.com"], key: "run-1")
            #expect(billing.status == 200)
            #expect(billing.json["status"] as? String == "completed")
            let output = try #require(billing.json["output"] as? [String: Any])
            #expect(output["category"] as? String == "billing" && output["priority"] as? String == "high")
            // The same key returns the first outcome without a new run.
            let again = try await run(suite, ["text": "I was charged twice, please refund me", "customer": "ana@example.com"], key: "run-1")
            #expect(again.json["executionId"] as? String == billing.json["executionId"] as? String)
            let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self).requests
            #expect(log.count == 1)
            #expect(log[0].messages.contains { $0.content.contains("ana@example.com") } == false)  // the input was masked
            #expect(log[0].messages[0].content.contains("matches this JSON Schema"))

            // Invalid output is sent back once with the reasons, and the correction is accepted.
            let fixed = try await run(suite, ["text": "fixme please"])
            #expect(fixed.status == 200)
            #expect((fixed.json["output"] as? [String: Any])?["summary"] as? String == "Fixed after correction")
            let fixedTrace = try await suite.control(
                TraceQuery(executionId: try #require(fixed.json["executionId"] as? String)), service: "orchestrator", expecting: TraceResult.self)
            #expect(fixedTrace.steps.filter { $0.type == .llmRequest }.count == 2)
            #expect(fixedTrace.steps.contains { $0.type == .error && $0.content.contains(#"$.category: must be one of"#) })
            #expect(fixedTrace.execution?.strategy == .direct && fixedTrace.execution?.sessionId == nil)

            // Output that never matches fails with a clear code after one correction.
            let broken = try await run(suite, ["text": "gibberish"])
            #expect(broken.status == 422)
            #expect(broken.json["status"] as? String == "failed")
            #expect((broken.json["error"] as? [String: Any])?["code"] as? String == "OUTPUT_INVALID")

            // Conversational agents and bad bodies are refused.
            #expect(try await run(suite, ["text": "hi"], agent: "support").status == 409)
            #expect(try await run(suite, ["text": "hi"], agent: "nobody").status == 404)
            let notObject = try await suite.http("POST", "/v1/agents/triage/run", body: Data(#"{"input": [1, 2]}"#.utf8))
            #expect(notObject.status == 422)
        }
    }
}
