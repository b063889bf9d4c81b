import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Two messages sent back to back to one session, under each turn-coordination mode.
    @Suite(.serialized) struct TurnCoordinationTests {
        static func metadata() throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
            var agents = try String(contentsOf: directory.appendingPathComponent("agents.yaml"), encoding: .utf8)
            for mode in ["enqueue", "reject", "interrupt", "coalesce"] {
                agents += """
                      \(mode)-agent:
                        provider: slow
                        identity: You answer slowly.
                        turnCoordination: { mode: \(mode), windowMilliseconds: 1200 }

                    """
            }
            try agents.write(to: directory.appendingPathComponent("agents.yaml"), atomically: true, encoding: .utf8)
            var providers = try String(contentsOf: directory.appendingPathComponent("providers.yaml"), encoding: .utf8)
            providers += """
                  slow:
                    type: scripted
                    model: slow-1
                    rules:
                      - when: "."
                        reply: "Answered: {{lastUser}}"
                        delayMilliseconds: 1500

                """
            try providers.write(to: directory.appendingPathComponent("providers.yaml"), atomically: true, encoding: .utf8)
            return directory
        }

        /// The first message (not waited for), then the second right behind it (waited for).
        func backToBack(_ suite: SuiteHarness, agent: String) async throws -> (first: String, second: SuiteHarness.HTTPResponse) {
            let key = "coord-\(agent)"
            let first = try await suite.send(["agent": agent, "text": "first question", "sessionKey": key], headers: ["Prefer": "respond-async"])
            let firstId = try #require(first.json["executionId"] as? String)
            try await Task.sleep(for: .milliseconds(200))
            let second = try await suite.send(["agent": agent, "text": "second question", "sessionKey": key])
            return (firstId, second)
        }

        func execution(_ suite: SuiteHarness, _ id: String) async throws -> AgentExecution? {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                let found = try await suite.control(TraceQuery(executionId: id), service: "orchestrator", expecting: TraceResult.self).execution
                if found?.status.isTerminal == true { return found }
                try await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }

        @Test func eachModeHandlesAMessageForABusySession() async throws {
            let suite = try await SuiteHarness(configDirectory: try Self.metadata())
            defer { suite.stop() }

            // enqueue: both answered, one after the other.
            let queued = try await backToBack(suite, agent: "enqueue-agent")
            #expect(queued.second.json["reply"] as? String == "Answered: second question")
            let queuedFirst = try #require(try await execution(suite, queued.first))
            #expect(queuedFirst.result == "Answered: first question")
            let secondId = try #require(queued.second.json["executionId"] as? String)
            let queuedSecond = try #require(try await execution(suite, secondId))
            #expect((queuedSecond.startedAt ?? .distantPast) >= (queuedFirst.completedAt ?? .distantFuture))

            // reject: the second is refused at once; the first is answered.
            let rejected = try await backToBack(suite, agent: "reject-agent")
            #expect(rejected.second.json["status"] as? String == "failed")
            #expect((rejected.second.json["error"] as? [String: Any])?["code"] as? String == "SESSION_BUSY")
            #expect(try await execution(suite, rejected.first)?.status == .completed)

            // interrupt: the first turn stops; the second answers both messages.
            let interrupted = try await backToBack(suite, agent: "interrupt-agent")
            #expect(interrupted.second.json["reply"] as? String == "Answered: first question\n\nsecond question")
            let stopped = try #require(try await execution(suite, interrupted.first))
            #expect(stopped.status == .cancelled && stopped.error?.code == "SUPERSEDED")

            // coalesce: the burst becomes one turn answered once.
            let coalesced = try await backToBack(suite, agent: "coalesce-agent")
            #expect(coalesced.second.json["reply"] as? String == "Answered: first question\n\nsecond question")
            let folded = try #require(try await execution(suite, coalesced.first))
            #expect(folded.status == .cancelled && folded.error?.code == "COALESCED")
            let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self).requests
            #expect(log.filter { $0.agent == "coalesce-agent" }.count == 1)

            // The absorbed messages' replies are recorded, not sent.
            let sessions = try await suite.control(SessionListQuery(), service: "router", expecting: SessionListResult.self).sessions
            let session = try #require(sessions.first { $0.continuityKey == "key:coord-coalesce-agent" })
            let shown = try await suite.control(SessionShowQuery(sessionId: session.id), service: "router", expecting: SessionShowResult.self)
            #expect(shown.messages.filter { $0.direction == .outbound }.map(\.deliveryStatus).sorted { $0.rawValue < $1.rawValue } == [.sent, .suppressed])
        }
    }
}
