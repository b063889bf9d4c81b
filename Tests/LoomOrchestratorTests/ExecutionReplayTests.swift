import Foundation
import LoomConfig
import LoomContract
import Testing

@testable import LoomOrchestrator

@Suite struct ExecutionReplayTests {
    private func record() throws -> (ExecutionReplay, CoreEnding?) {
        let core = ConversationCore(request: CoreWorld.request, agent: try CoreWorld.agent(), capabilities: try CoreWorld.capabilities())
        var world = CoreWorld(answer: CoreWorld.standardAnswer)
        let (ending, _, last) = world.drive(core.decide)
        let calls = world.journal.map { OrchestratorDatabase.RecordedCall(call: $0.call, outcome: $0.outcome) }
        return (ExecutionReplay(calls: calls, steps: last.steps, finished: true), ending)
    }

    @Test func replayingUnderTheSameMetadataReproducesEveryDecision() throws {
        let (replay, ending) = try record()
        let core = ConversationCore(request: CoreWorld.request, agent: try CoreWorld.agent(), capabilities: try CoreWorld.capabilities())
        let report = replay.run(core.decide)
        #expect(report.divergence == nil)
        #expect(report.ending == ending)
        #expect(report.replayedCalls == replay.calls.count)
    }

    @Test func aChangedPromptDivergesAtTheFirstModelCall() throws {
        let (replay, _) = try record()
        var agent = try CoreWorld.agent()
        agent.instructions = "Be thorough."
        let report = replay.run(ConversationCore(request: CoreWorld.request, agent: agent, capabilities: try CoreWorld.capabilities()).decide)
        let divergence = try #require(report.divergence)
        #expect(divergence.at == "exe-1:llm:2")
        #expect(divergence.summary.contains("a different prompt (message 1, system)"))
        #expect(divergence.recorded?.contains("Be brief.") == true)
        #expect(divergence.replayed?.contains("Be thorough.") == true)
    }

    @Test func aToolNoLongerOfferedDivergesAsADifferentSetOfTools() throws {
        let (replay, _) = try record()
        var agent = try CoreWorld.agent()
        agent.capabilities = ["get_case"]
        let report = replay.run(ConversationCore(request: CoreWorld.request, agent: agent, capabilities: try CoreWorld.capabilities()).decide)
        let divergence = try #require(report.divergence)
        #expect(divergence.at == "exe-1:llm:2")
        #expect(divergence.summary.contains("a different set of offered tools"))
    }

    @Test func aNewHumanGateShowsWhereTheToolCallWouldNowWait() throws {
        let (replay, _) = try record()
        let capabilities = try CoreWorld.capabilities(#", "hitl": "confirmation""#)
        let report = replay.run(ConversationCore(request: CoreWorld.request, agent: try CoreWorld.agent(), capabilities: capabilities).decide)
        let divergence = try #require(report.divergence)
        #expect(divergence.at == "exe-1:ask:call-1")
        #expect(divergence.summary.contains("ask call the recorded run did not make"))
    }
}
