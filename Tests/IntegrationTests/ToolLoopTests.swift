import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// The LLM ↔ tool loop through the running suite, with the scripted provider asking for tools.
    @Suite(.serialized) struct ToolLoopTests {
        static let rules = #"""
              - when: "(?i)compare ([A-Z]-\\d+) and ([A-Z]-\\d+)"
                calls:
                  - { tool: get_record, arguments: { objectType: case, recordId: "{{1}}" } }
                  - { tool: get_record, arguments: { objectType: case, recordId: "{{2}}" } }
                reply: "{{1}} is {{tool1.result.fields.status}}; {{2}} is {{tool2.result.fields.status}}."
              - when: "(?i)triage this: (.*)"
                call: { tool: classify_message, arguments: { text: "{{1}}" } }
                reply: "Triage says {{tool.result.output.category}}, priority {{tool.result.output.priority}}."
              - when: "(?i)teleport"
                call: { tool: teleport, arguments: {} }
                reply: "The tool said {{tool.code}}: {{tool.guidance}}"
              - when: "(?i)look up a case"
                call: { tool: get_record, arguments: { objectType: ticket } }
                reply: "The tool said {{tool.code}}: {{tool.error}}"
              - when: "(?i)keep digging"
                call: { tool: get_record, arguments: { objectType: case, recordId: C-1001 } }
              - when: "(?i)think slowly about case ([A-Z]-\\d+)"
                call: { tool: get_record, arguments: { objectType: case, recordId: "{{1}}" } }
                reply: "After long thought: {{tool.result.fields.subject}}."
                delayMilliseconds: 3000
              - when: "(?i)slowly close case ([A-Z]-\\d+)"
                call: { tool: update_case_status, arguments: { recordId: "{{1}}", fields: { status: solved } } }
                reply: "Done slowly: case {{1}} is now {{tool.result.fields.status}}."
                delayMilliseconds: 4000

        """#

        static func metadata() throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
            let file = directory.appendingPathComponent("providers.yaml")
            let providers = try String(contentsOf: file, encoding: .utf8)
            try providers.replacingOccurrences(of: "    rules:\n", with: "    rules:\n" + rules).write(to: file, atomically: true, encoding: .utf8)
            // Agents whose context block cannot be filled without a case id: one warns, one fails.
            let agents = directory.appendingPathComponent("agents.yaml")
            var text = try String(contentsOf: agents, encoding: .utf8)
            for mode in ["warn", "fail"] {
                text += """
                      context-\(mode):
                        provider: scripted
                        identity: You need the case.
                        context:
                          - { name: case, source: record, objectType: case, idPattern: "C-\\\\d+", onFailure: \(mode) }

                    """
            }
            text += """
                  summarizing:
                    provider: scripted
                    identity: You remember by summary.
                    memory: { strategy: summaryBuffer, turns: 1 }

                """
            try text.write(to: agents, atomically: true, encoding: .utf8)
            return directory
        }

        func trace(_ suite: SuiteHarness, _ response: SuiteHarness.HTTPResponse) async throws -> TraceResult {
            let execution = try #require(response.json["executionId"] as? String)
            return try await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self)
        }

        @Test func theModelCallsToolsAndAnswersFromTheirResults() async throws {
            let suite = try await SuiteHarness(configDirectory: try Self.metadata())
            defer { suite.stop() }

            // One tool, then an answer quoting the record.
            let status = try await suite.send(["text": "What is the status of case C-1001?", "sessionKey": "tools-1"])
            #expect(status.json["status"] as? String == "completed")
            #expect(status.json["reply"] as? String == #"Case C-1001 ("Order arrived damaged") is open, priority high."#)
            let steps = try await trace(suite, status).steps
            #expect(steps.map(\.type) == [.userTurn, .llmRequest, .llmResponse, .toolCall, .toolResult, .llmRequest, .llmResponse, .assistantResponse])
            #expect(steps.first { $0.type == .toolCall }?.capability == "get_record")
            #expect(steps.first { $0.type == .toolResult }?.content.contains(#""status":"open""#) == true)
            let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self).requests
            let second = try #require(log.last)
            #expect(Set(second.tools?.map(\.name) ?? []) == [
                "get_record", "query_records", "update_case_status", "post_case_note", "classify_message", "shipping_quote",
            ])
            #expect(second.messages.contains { $0.role == .tool && $0.toolCallId == "call_1_1" })

            // The case named in the message was put in the prompt as context, with the example and the session.
        let firstSystem = try #require(log.first { $0.messages.last?.content == "What is the status of case C-1001?" }?.messages.first?.content)
        #expect(firstSystem.contains("<context name=\"case\">\ncase C-1001\naccountId: A-100"))
        #expect(firstSystem.contains("subject: Order arrived damaged"))
        #expect(firstSystem.contains("<context name=\"channel\">\nchannel: api"))
        #expect(firstSystem.contains("User: Where is my parcel?"))

        // A block that cannot be filled is noted in the trace (warn) or fails the turn (fail).
        let warned = try await suite.send(["agent": "context-warn", "text": "hello", "sessionKey": "ctx-1"])
        #expect(warned.json["status"] as? String == "completed")
        #expect(try await trace(suite, warned).steps.contains { $0.type == .policyDecision && $0.content.contains("context 'case' is unavailable") })
        let failed = try await suite.send(["agent": "context-fail", "text": "hello", "sessionKey": "ctx-2"])
        #expect((failed.json["error"] as? [String: Any])?["code"] as? String == "CONTEXT_UNAVAILABLE")

        // Two calls in one response; both results reach the answer in order.
            let compared = try await suite.send(["text": "compare C-1001 and C-1002", "sessionKey": "tools-2"])
            #expect(compared.json["reply"] as? String == "C-1001 is open; C-1002 is pending.")
            let parallel = try await trace(suite, compared).steps
            #expect(parallel.filter { $0.type == .toolCall }.map(\.sequence) == [4, 6])
            #expect(parallel.filter { $0.type == .toolResult }.count == 2)

            // An agent as a capability: a child execution whose output is the tool result.
        let triaged = try await suite.send(["text": "Triage this: my invoice is wrong", "sessionKey": "tools-6"])
        #expect(triaged.json["reply"] as? String == "Triage says billing, priority high.")
        let parent = try await trace(suite, triaged)
        let child = try #require(parent.children?.first)
        #expect(child.agent == "triage" && child.strategy == .direct && child.status == .completed)
        #expect(child.parentExecutionId == parent.execution?.id)
        let childTrace = try await suite.control(TraceQuery(executionId: child.id), service: "orchestrator", expecting: TraceResult.self)
        #expect(childTrace.steps.first?.type == .userTurn && childTrace.steps.first?.content.contains("invoice") == true)

        // An unknown tool and arguments the schema rejects go back to the model, not into a crash.
            let unknown = try await suite.send(["text": "teleport me", "sessionKey": "tools-3"])
            #expect(unknown.json["status"] as? String == "completed")
            let unknownReply = try #require(unknown.json["reply"] as? String)
        #expect(unknownReply.hasPrefix("The tool said unknown_tool: use one of: ") && unknownReply.contains("get_record"))
            let invalid = try await suite.send(["text": "look up a case", "sessionKey": "tools-4"])
            #expect(invalid.json["status"] as? String == "completed")
            let invalidReply = try #require(invalid.json["reply"] as? String)
            #expect(invalidReply.contains("invalid_arguments") && invalidReply.contains("$.recordId: is required"))

            // A model that never stops calling tools is cut off at maxProcessingCycles.
            let runaway = try await suite.send(["text": "keep digging", "sessionKey": "tools-5"])
            #expect(runaway.json["status"] as? String == "failed")
            #expect((runaway.json["error"] as? [String: Any])?["code"] as? String == "MAX_CYCLES")
            let cut = try await trace(suite, runaway)
            #expect(cut.execution?.error?.code == "MAX_CYCLES")
            #expect(cut.steps.filter { $0.type == .llmRequest }.count == 5)
        }

        @Test func summaryMemoryCondensesOlderTurnsOffTheHotPath() async throws {
        let suite = try await SuiteHarness(configDirectory: try Self.metadata())
        defer { suite.stop() }
        let turn = ["agent": "summarizing", "sessionKey": "summary-1"]
        _ = try await suite.send(turn.merging(["text": "My order number is O-5001"]) { $1 })
        _ = try await suite.send(turn.merging(["text": "It has not arrived"]) { $1 })
        // After the second turn the first falls out of the one-turn window and is condensed.
        let deadline = ContinuousClock.now + .seconds(20)
        var condensed = false
        while !condensed, ContinuousClock.now < deadline {
            let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self).requests
            condensed = log.contains { $0.messages.first?.content.hasPrefix("You condense conversations") == true }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(condensed)
        try await Task.sleep(for: .milliseconds(500))
        let third = try await suite.send(turn.merging(["text": "What did I say?"]) { $1 })
        // Verbatim: only the second turn; the first lives on in the summary.
        #expect(third.json["reply"] as? String == #"Earlier you said: "It has not arrived" (1 earlier turn(s) in this conversation)."#)
        let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self).requests
        let last = try #require(log.last { $0.messages.last?.content == "What did I say?" })
        #expect(last.messages[0].content.contains("Summary of the earlier conversation") && last.messages[0].content.contains("O-5001"))
        #expect(!last.messages.dropFirst().contains { $0.content.contains("O-5001") })
    }

    @Test func aCancelledExecutionStopsAtItsNextSafePoint() async throws {
        let token = ["Authorization": "Bearer tool-loop-operator"]
        let suite = try await SuiteHarness(
            configDirectory: try Self.metadata(), extraEnvironment: ["LOOM_OPERATOR_TOKEN": "tool-loop-operator"])
        defer { suite.stop() }
        let accepted = try await suite.send(
            ["text": "Please think slowly about case C-1001", "sessionKey": "cancel-1"], headers: ["Prefer": "respond-async"])
        let execution = try #require(accepted.json["executionId"] as? String)
        // Wait until the tool has answered and the model is composing (3 s).
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let steps = try await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self).steps
            if steps.contains(where: { $0.type == .toolResult }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await suite.http("POST", "/v1/executions/\(execution)/cancel", headers: [:]).status == 401)
        let cancelled = try await suite.http("POST", "/v1/executions/\(execution)/cancel", headers: token)
        #expect(cancelled.status == 200 && cancelled.json["changed"] as? Bool == true)
        let again = try await suite.http("POST", "/v1/executions/\(execution)/cancel", headers: token)
        #expect(again.json["changed"] as? Bool == false)
        #expect(try await suite.http("POST", "/v1/executions/exe_nope/cancel", headers: token).status == 404)

        // The model's answer arrives after the cancel and is not used: no answer step, no reply text.
        var reply: InteractionMessage?
        while reply == nil, ContinuousClock.now < deadline + .seconds(10) {
            reply = try await suite.control(ExecutionReplyQuery(executionId: execution), service: "router", expecting: ExecutionReplyResult.self).message
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(reply?.body == "This request was cancelled before it finished.")
        let trace = try await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self)
        #expect(trace.execution?.status == .cancelled)
        #expect(trace.execution?.error == ExecutionError(code: "CANCELLED", message: "cancelled by operator"))
        #expect(!trace.steps.contains { $0.type == .assistantResponse })
    }

    @Test func anExecutionKilledAfterItsSideEffectFinishesAfterRestartAndActsOnce() async throws {
            let suite = try await SuiteHarness(configDirectory: try Self.metadata())
            defer { suite.stop() }
            func recorded() async throws -> Int {
                try await suite.control(HealthQuery(), service: "tools", expecting: HealthResult.self).counters["sideEffects.recorded"] ?? -1
            }
            let before = try await recorded()

            let accepted = try await suite.send(
                ["text": "Please slowly close case C-1002", "sessionKey": "crash-1"], headers: ["Prefer": "respond-async"])
            #expect(accepted.status == 202)
            let execution = try #require(accepted.json["executionId"] as? String)
            // The update has happened; the model's final answer is still being written (4 s).
            let deadline = ContinuousClock.now + .seconds(20)
            while try await recorded() == before, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(try await recorded() == before + 1)
            suite.kill("orchestrator")
            try await suite.start("orchestrator")

            var result: TraceResult?
            while ContinuousClock.now < deadline + .seconds(30) {
                result = try? await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self)
                if result?.execution?.status.isTerminal == true { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let trace = try #require(result)
            #expect(trace.execution?.status == .completed)
            #expect(trace.execution?.result == "Done slowly: case C-1002 is now solved.")
            #expect(try await recorded() == before + 1)  // the re-driven call got the recorded outcome
            let record = try await suite.control(
                ToolCallRequest(capability: "get_record", arguments: .object(["objectType": .string("case"), "recordId": .string("C-1002")]),
                                idempotencyKey: "check", executionId: "test"),
                service: "tools", expecting: ToolCallResult.self, as: SuiteHarness.testOrchestrator)
            if case .object(let found)? = record.result, case .object(let fields)? = found["fields"] {
                #expect(fields["status"] == .string("solved"))
            }
        }
    }
}
