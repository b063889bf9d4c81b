import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Recovery through the running suite: a gateway SIGKILLed in the middle of a completion,
    /// and a client that retries with the same Idempotency-Key while its first request waits.
    @Suite(.serialized) struct RecoveryTests {
        func trace(_ suite: SuiteHarness, _ execution: String) async throws -> TraceResult {
            try await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self)
        }

        func recorded(_ suite: SuiteHarness) async throws -> Int {
            try await suite.control(HealthQuery(), service: "tools", expecting: HealthResult.self).counters["sideEffects.recorded"] ?? -1
        }

        @Test func aGatewayKilledMidCompletionDelaysTheTurnByItsRestartNotTheCallBudget() async throws {
            let suite = try await SuiteHarness(configDirectory: try ToolLoopTests.metadata())
            defer { suite.stop() }
            let before = try await recorded(suite)
            let accepted = try await suite.send(
                ["text": "Please slowly close case C-1001", "sessionKey": "gateway-kill"], headers: ["Prefer": "respond-async"])
            #expect(accepted.status == 202)
            let execution = try #require(accepted.json["executionId"] as? String)
            // The side effect is done; the gateway is now writing the slow final answer.
            let deadline = ContinuousClock.now + .seconds(20)
            while try await recorded(suite) == before, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(try await recorded(suite) == before + 1)
            suite.kill("gateway")
            try await suite.start("gateway")

            // Well inside the orchestrator's completion budget (60 s): only the resend on
            // reconnection gets an answer this soon.
            var result: TraceResult?
            let finish = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < finish {
                result = try? await trace(suite, execution)
                if result?.execution?.status.isTerminal == true { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let done = try #require(result)
            #expect(done.execution?.status == .completed)
            #expect(done.execution?.result == "Done slowly: case C-1001 is now solved.")
            #expect(try await recorded(suite) == before + 1)
            let orchestrator = try await suite.control(HealthQuery(), service: "orchestrator", expecting: HealthResult.self)
            #expect((orchestrator.counters["requests.resentOnReconnect"] ?? 0) >= 1)
        }

        @Test func twoConcurrentRequestsWithOneIdempotencyKeyBothGetTheReply() async throws {
            let suite = try await SuiteHarness(configDirectory: try ToolLoopTests.metadata())
            defer { suite.stop() }
            let headers = ["Idempotency-Key": "retry-during-outage"]
            func ask() async throws -> SuiteHarness.HTTPResponse {
                try await suite.send(["text": "Please think slowly about case C-1001", "sessionKey": "same-key"], headers: headers)
            }
            async let first = ask()
            // The second arrives while the first still waits for the slow answer.
            try await Task.sleep(for: .milliseconds(300))
            async let second = ask()
            let replies = try await [first, second]
            #expect(replies.map(\.status) == [200, 200])
            let texts = replies.map { $0.json["reply"] as? String ?? "" }
            #expect(texts[0] == texts[1])
            #expect(texts[0].hasPrefix("After long thought"))
            #expect(replies[0].json["executionId"] as? String == replies[1].json["executionId"] as? String)
        }
    }
}
