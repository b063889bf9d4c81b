import LoomConfig
import Testing

@testable import LoomOrchestrator

struct ToolFlowStateTests {
    static let tools = ["lookup", "search", "refund", "replace", "note", "escalate"]
    static let flow = ToolFlow(
        entry: ["lookup"],
        transitions: [
            .init(from: "lookup", to: ["search"], type: .parallel),
            .init(from: "lookup", to: ["refund", "replace"], type: .exclusive),
            .init(from: "refund", to: ["note"], type: .sequential),
        ])

    @Test func withoutAFlowEverythingIsAlwaysCallable() {
        let state = ToolFlowState(flow: nil)
        #expect(state.eligible(among: Self.tools) == Set(Self.tools))
        #expect(state.refusal(for: "refund", among: Self.tools) == nil)
    }

    @Test func entryAndParallelToolsFirstThenWhatSuccessUnlocks() {
        var state = ToolFlowState(flow: Self.flow)
        #expect(state.eligible(among: Self.tools) == ["lookup", "search"])
        #expect(state.refusal(for: "refund", among: Self.tools)?.contains("not available") == true)
        state.succeeded("lookup")
        #expect(state.eligible(among: Self.tools) == ["lookup", "search", "refund", "replace"])
        // Unlocks last for the execution.
        state.succeeded("search")
        #expect(state.eligible(among: Self.tools).isSuperset(of: ["refund", "replace"]))
    }

    @Test func anExclusiveChoiceLocksItsSiblings() {
        var state = ToolFlowState(flow: Self.flow)
        state.succeeded("lookup")
        state.succeeded("refund")
        #expect(state.eligible(among: Self.tools) == ["lookup", "search", "refund", "note"])
        #expect(state.refusal(for: "replace", among: Self.tools)?.contains("exclusive") == true)
        // `escalate` is in no flow: never callable.
        #expect(state.refusal(for: "escalate", among: Self.tools) != nil)
    }

    @Test func choosingInTheSameResponseLocksWithoutUnlocking() {
        var state = ToolFlowState(flow: Self.flow)
        state.succeeded("lookup")
        var planned = state
        planned.chose("replace")
        #expect(planned.refusal(for: "refund", among: Self.tools) != nil)
        #expect(planned.refusal(for: "note", among: Self.tools) != nil)
    }
}
