import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Two turns of one conversation through the six real processes.
    @Suite(.serialized) struct ConversationTests {
        @Test func twoTurnsShareASessionRememberTheFirstAndKeepTheEmailFromTheProvider() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }

            let first = try await suite.send(["agent": "support", "text": "Hi, my email is ana@example.com", "sessionKey": "demo-1"])
            #expect(first.status == 200)
            let firstReply = try #require(first.json["reply"] as? String)
            // The provider only saw a token; the unmasked address is restored for the user.
            #expect(firstReply.contains("ana@example.com"))
            #expect(first.json["status"] as? String == "completed")
            let sessionId = try #require(first.json["sessionId"] as? String)
            let firstExecution = try #require(first.json["executionId"] as? String)

            let second = try await suite.send(["agent": "support", "text": "What did I say?", "sessionKey": "demo-1"])
            #expect(second.status == 200)
            #expect(second.json["sessionId"] as? String == sessionId)
            let secondExecution = try #require(second.json["executionId"] as? String)
            #expect(secondExecution != firstExecution)
            let secondReply = try #require(second.json["reply"] as? String)
            #expect(secondReply.contains("Hi, my email is ana@example.com"))
            #expect(secondReply.contains("1 earlier turn"))

            // Orchestrator: the execution and its steps, over the bus as `loom trace` fetches them.
            let trace = try await suite.control(TraceQuery(executionId: secondExecution), service: "orchestrator", expecting: TraceResult.self)
            let execution = try #require(trace.execution)
            #expect(execution.status == .completed)
            #expect(execution.sessionId == sessionId)
            #expect(trace.steps.map(\.type) == [.userTurn, .llmRequest, .llmResponse, .assistantResponse])
            #expect(trace.steps.first { $0.type == .llmResponse }?.usage?.inputTokens ?? 0 > 0)
            #expect(execution.usage.outputTokens > 0)

            // Router: one session, both turns in and both replies out and delivered.
            let session = try await suite.control(SessionShowQuery(sessionId: sessionId), service: "router", expecting: SessionShowResult.self)
            #expect(session.session?.turnCount == 2)
            #expect(session.messages.map(\.direction) == [.inbound, .outbound, .inbound, .outbound])
            #expect(session.messages.filter { $0.direction == .outbound }.allSatisfy { $0.deliveryStatus == .sent })

            // Gateway: what the provider saw. The address never reached it; the token did, and the
            // second request carried the first turn (buffer-window memory).
            let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self)
            #expect(log.requests.count == 2)
            let seen = log.requests.flatMap(\.messages).map(\.content).joined(separator: "\n")
            #expect(!seen.contains("ana@example.com"))
            #expect(seen.contains("[EMAIL_1]"))
            let secondPrompt = try #require(log.requests.last).messages
            #expect(secondPrompt.map(\.role) == [.system, .user, .assistant, .user])
            #expect(secondPrompt[1].content == "Hi, my email is [EMAIL_1]")

            // Tools: the record store answers from its own database, seeded from records.yaml.
            let record = try await suite.control(RecordGetRequest(objectType: "case", recordId: "C-1001"), service: "tools", expecting: RecordGetResult.self,
                as: SuiteHarness.testOrchestrator)
            #expect(record.fields?["subject"] == .string("Order arrived damaged"))
            let missing = try await suite.control(RecordGetRequest(objectType: "case", recordId: "C-404"), service: "tools", expecting: RecordGetResult.self,
                as: SuiteHarness.testOrchestrator)
            #expect(missing.fields == nil)
            await #expect(throws: Failure.self) {
                try await suite.control(RecordGetRequest(objectType: "spaceship", recordId: "X"), service: "tools", expecting: RecordGetResult.self,
                as: SuiteHarness.testOrchestrator)
            }
        }

        @Test func aRepeatedIdempotencyKeyDoesNotStartASecondExecution() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }
            let body: [String: Any] = ["agent": "support", "text": "hello there", "sessionKey": "idem"]
            let first = try await suite.send(body, headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == 200)
            let again = try await suite.send(body, headers: ["Idempotency-Key": "k-1"])
            #expect(again.status == 200)
            #expect(again.json["executionId"] as? String == first.json["executionId"] as? String)
            #expect(again.json["reply"] as? String == first.json["reply"] as? String)
            let health = try await suite.control(HealthQuery(), service: "orchestrator", expecting: HealthResult.self)
            #expect(health.counters["executions"] == 1)
        }

        @Test func aMessageAcceptedWhileTheOrchestratorIsDownIsAnsweredAfterItRestarts() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }
            suite.kill("orchestrator")
            // The router takes custody while the orchestrator is down and keeps resending the work.
            async let response = suite.send(["agent": "support", "text": "anyone there?", "sessionKey": "crash"])
            try await Task.sleep(for: .seconds(1))
            try await suite.start("orchestrator")
            let answered = try await response
            #expect(answered.status == 200)
            #expect(answered.json["status"] as? String == "completed")
            let executionId = try #require(answered.json["executionId"] as? String)
            let trace = try await suite.control(TraceQuery(executionId: executionId), service: "orchestrator", expecting: TraceResult.self)
            #expect(trace.execution?.status == .completed)
        }
    }
}
