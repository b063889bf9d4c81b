import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// SIGKILLs exactly between two durable steps, through crash points (`LOOM_CRASH_AT`): the
    /// process kills itself at the named point once, the test restarts it, and the turn must end
    /// with one side effect and one provider answer per model step.
    @Suite(.serialized) struct CrashBoundaryTests {
        static func turn(session: String) -> [String: Any] {
            ["agent": "support", "text": "Please close case C-1001.", "sessionKey": session]
        }

        func trace(_ suite: SuiteHarness, _ execution: String) async throws -> TraceResult {
            try await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self)
        }

        func counter(_ name: String, of service: String, _ suite: SuiteHarness) async throws -> Int {
            try await suite.control(HealthQuery(), service: service, expecting: HealthResult.self).counters[name] ?? 0
        }

        func finished(_ suite: SuiteHarness, _ execution: String) async throws -> TraceResult {
            let deadline = ContinuousClock.now + .seconds(40)
            var result: TraceResult?
            while ContinuousClock.now < deadline {
                result = try? await trace(suite, execution)
                if result?.execution?.status.isTerminal == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try #require(result)
        }

        /// The model's answer reached the orchestrator; it dies before committing it. Driven again,
        /// it asks the gateway under the same request id and gets the recorded answer: the provider
        /// is not asked twice. Then it dies after the tool acted and before its result is recorded;
        /// the call is resent with its idempotency key and acts once.
        @Test func anOrchestratorKilledBeforeRecordingAnAnswerAsksNoProviderTwiceAndActsOnce() async throws {
            let suite = try await SuiteHarness(extraEnvironment: ["LOOM_CRASH_AT": "orchestrator.answered.model,orchestrator.answered.tool"])
            defer { suite.stop() }
            let effects = try await counter("sideEffects.recorded", of: "tools", suite)
            let calls = try await counter("provider.calls", of: "gateway", suite)

            let accepted = try await suite.send(
                Self.turn(session: "crash-model"), headers: ["Prefer": "respond-async"])
            #expect(accepted.status == 202)
            let execution = try #require(accepted.json["executionId"] as? String)
            try await suite.waitUntilExited("orchestrator")
            #expect(try await counter("provider.calls", of: "gateway", suite) == calls + 1)
            // Driven again, it dies once more: the tool acted and answered, its result is not recorded.
            try await suite.start("orchestrator", waitUntilHealthy: false)
            try await suite.waitUntilExited("orchestrator")
            #expect(try await counter("sideEffects.recorded", of: "tools", suite) == effects + 1)
            try await suite.start("orchestrator")

            let done = try await finished(suite, execution)
            #expect(done.execution?.status == .completed)
            #expect(done.execution?.result == "Done: case C-1001 is now solved.")
            #expect(try await counter("sideEffects.recorded", of: "tools", suite) == effects + 1)
            // Two model steps, two provider calls: the first answer came from the gateway's record.
            #expect(try await counter("provider.calls", of: "gateway", suite) == calls + 2)
            #expect(done.steps.filter { $0.type == .llmResponse }.count == 2)
            #expect(done.steps.filter { $0.type == .toolCall }.count == 1)
            #expect(suite.log(of: "orchestrator").contains("crash points armed"))
        }

        /// The router committed the inbound message (and its hand-off to the orchestrator) and dies
        /// before the ACK. The ingress resends when the router is back, the router answers that it
        /// holds the message, and the client, retrying with its Idempotency-Key, gets the one reply.
        @Test func aRouterKilledBetweenItsCommitAndItsAckRunsTheTurnOnce() async throws {
            let suite = try await SuiteHarness(extraEnvironment: ["LOOM_CRASH_AT": "router.committed-inbound"])
            defer { suite.stop() }
            let effects = try await counter("sideEffects.recorded", of: "tools", suite)
            let headers = ["Idempotency-Key": "crash-router-1"]
            let body = Self.turn(session: "crash-router")

            let first = Task { try await suite.send(Self.turn(session: "crash-router"), headers: headers) }
            try await suite.waitUntilExited("router")
            try await suite.start("router")
            var reply = try await first.value
            var attempts = 1
            while reply.status >= 500 || reply.status == 202, attempts < 10 {
                try await Task.sleep(for: .milliseconds(300))
                reply = try await suite.send(body, headers: headers)
                attempts += 1
            }
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(reply.json["reply"] as? String == "Done: case C-1001 is now solved.")
            let execution = try #require(reply.json["executionId"] as? String)
            let done = try await finished(suite, execution)
            #expect(done.execution?.status == .completed)
            #expect(try await counter("sideEffects.recorded", of: "tools", suite) == effects + 1)
            #expect(done.steps.filter { $0.type == .userTurn }.count == 1)
            #expect(done.steps.filter { $0.type == .llmResponse }.count == 2)
            // Asked again, the same key gives the same turn, not a second one.
            let again = try await suite.send(body, headers: headers)
            #expect(again.json["executionId"] as? String == execution)
            #expect(try await counter("sideEffects.recorded", of: "tools", suite) == effects + 1)
        }
    }
}
