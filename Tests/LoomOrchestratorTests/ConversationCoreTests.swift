import Foundation
import LoomConfig
import LoomContract
import Testing

@testable import LoomOrchestrator

@Suite struct ConversationCoreTests {
    let core: ConversationCore

    init() throws {
        core = ConversationCore(request: CoreWorld.request, agent: try CoreWorld.agent(), capabilities: try CoreWorld.capabilities())
    }

    @Test func aTurnAsksInOrderAndEndsWithTheRestoredAnswer() throws {
        var world = CoreWorld(answer: CoreWorld.standardAnswer)
        let (ending, sent, last) = world.drive(core.decide)
        #expect(sent.map(\.request.kind) == ["grants", "mask", "turn-start", "model", "tool", "model", "unmask"])
        #expect(ending == .completed(maskedAnswer: "Noted.", reply: "Noted.", usage: TokenUsage()))
        #expect(last.trigger == "Note that my mail is [EMAIL_1]")
        #expect(last.steps.map(\.type) == [.userTurn, .llmRequest, .llmResponse, .toolCall, .toolResult, .llmRequest, .llmResponse,
                                           .assistantResponse])
        guard case .invoke(let invocation) = try #require(sent.first { $0.request.kind == "tool" }).request else {
            Issue.record("no tool call")
            return
        }
        #expect(invocation.idempotencyKey == "exe-1:4:call-1")
    }

    /// Every prefix of the history is a point a crash could leave behind: driving again from it
    /// asks only for what is missing, under the same ids, and ends the same way with one effect.
    @Test func drivingAgainFromAnyPrefixAsksOnlyForWhatIsMissing() throws {
        var world = CoreWorld(answer: CoreWorld.standardAnswer)
        let (ending, sent, _) = world.drive(core.decide)
        let journal = world.journal
        for cut in 0...journal.count {
            let prefix = Dictionary(journal.prefix(cut).map { ($0.call.id, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            var again = CoreWorld(answer: CoreWorld.standardAnswer)
            let (endingAgain, sentAgain, _) = again.drive(core.decide, from: prefix)
            #expect(endingAgain == ending, "cut at \(cut)")
            #expect(sentAgain.map(\.id) == Array(sent.dropFirst(cut).map(\.id)), "cut at \(cut)")
            #expect(sentAgain.filter { $0.request.kind == "model" }.count == sent.dropFirst(cut).filter { $0.request.kind == "model" }.count)
        }
    }

    @Test func aRetryableToolFailureIsRetriedWithTheSameKeyBeforeTheModelSeesIt() throws {
        var failures = 2
        var world = CoreWorld { call in
            if case .invoke = call.request, failures > 0 {
                failures -= 1
                return .tool(ToolOutcome(
                    content: #"{"success":false,"code":"store_unavailable"}"#, succeeded: false, retryable: true, code: "store_unavailable"))
            }
            return CoreWorld.standardAnswer(call)
        }
        let (ending, sent, last) = world.drive(core.decide)
        let invocations = sent.compactMap { call -> ToolInvocation? in
            if case .invoke(let invocation) = call.request { invocation } else { nil }
        }
        #expect(invocations.map(\.attempt) == [1, 2, 3])
        #expect(Set(invocations.map(\.idempotencyKey)).count == 1)
        #expect(sent.filter { $0.request.kind == "wait" }.count == 2)
        // The model saw only the final, successful result.
        let toolResult = try #require(last.steps.first { $0.type == .toolResult })
        #expect(toolResult.content == #"{"success":true}"#)
        #expect(ending == .completed(maskedAnswer: "Noted.", reply: "Noted.", usage: TokenUsage()))
    }

    @Test func aToolFailureThatOutlivesItsBudgetReachesTheModelAsAFailure() throws {
        let core = ConversationCore(
            request: CoreWorld.request, agent: try CoreWorld.agent(),
            capabilities: try CoreWorld.capabilities(#", "retry": {"attempts": 2, "baseDelayMilliseconds": 10}"#))
        var world = CoreWorld { call in
            if case .invoke = call.request {
                return .tool(ToolOutcome(
                    content: #"{"success":false,"code":"store_unavailable","retryable":true}"#, succeeded: false, retryable: true,
                    code: "store_unavailable"))
            }
            return CoreWorld.standardAnswer(call)
        }
        let (_, sent, last) = world.drive(core.decide)
        #expect(sent.filter { $0.request.kind == "tool" }.count == 2)
        let toolResult = try #require(last.steps.first { $0.type == .toolResult })
        #expect(toolResult.content.contains(#""success":false"#))
        let model = try #require(sent.last { $0.request.kind == "model" })
        guard case .complete(let completion) = model.request else { return }
        #expect(completion.messages.last?.content.contains("store_unavailable") == true)
    }

    /// post_note is irreversible: its own retryable failure may have acted, so the model sees it
    /// at once; declared idempotent, the same failure is retried.
    @Test func onlyASafeToRepeatCallIsRetriedAfterAFailureOfItsOwn() throws {
        func toolCalls(_ extra: String) throws -> Int {
            let core = ConversationCore(
                request: CoreWorld.request, agent: try CoreWorld.agent(),
                capabilities: try CoreWorld.capabilities(extra + #", "retry": {"attempts": 3, "baseDelayMilliseconds": 10}"#))
            var world = CoreWorld { call in
                if case .invoke = call.request {
                    return .tool(ToolOutcome(
                        content: #"{"success":false,"code":"upstream_busy","retryable":true}"#, succeeded: false,
                        retryable: true, code: "upstream_busy"))
                }
                return CoreWorld.standardAnswer(call)
            }
            return world.drive(core.decide).sent.filter { $0.request.kind == "tool" }.count
        }
        #expect(try toolCalls("") == 1)
        #expect(try toolCalls(#", "effect": "idempotent""#) == 3)
    }

    @Test func aModelFailureIsRetriedOnceThenFailsTheTurn() throws {
        var world = CoreWorld { call in
            if case .complete = call.request {
                return .failed(CallFailure(code: "provider_unavailable", message: "all providers failed", retryable: true))
            }
            return CoreWorld.standardAnswer(call)
        }
        let (ending, sent, _) = world.drive(core.decide)
        #expect(sent.filter { $0.request.kind == "model" }.map(\.id) == ["exe-1:llm:2", "exe-1:llm:2#2"])
        guard case .failed(let error, _, _)? = ending else {
            Issue.record("expected a failure, got \(String(describing: ending))")
            return
        }
        #expect(error.code == "PROVIDER_UNAVAILABLE")
    }

    @Test func anApprovalPausesTheTurnAndAResumptionAsksAgain() throws {
        let core = ConversationCore(
            request: CoreWorld.request, agent: try CoreWorld.agent(),
            capabilities: try CoreWorld.capabilities(#", "hitl": "approval""#))
        var decided = false
        var world = CoreWorld { call in
            if case .approval = call.request { return .approval(decided ? .approved : .pending(approvalId: "apv-1")) }
            return CoreWorld.standardAnswer(call)
        }
        let (paused, sent, _) = world.drive(core.decide)
        #expect(paused == .paused(approvalIds: ["apv-1"]))
        #expect(!sent.contains { $0.request.kind == "tool" })
        decided = true
        var known = world.known
        known[DecisionWalk.resumeId("exe-1", 1)] = RecordedOutcome(outcome: .done, startedAt: world.clock, finishedAt: world.clock)
        let (ending, resumed, _) = world.drive(core.decide, from: known)
        #expect(resumed.map(\.request.kind) == ["approval", "tool", "model", "unmask"])
        #expect(ending == .completed(maskedAnswer: "Noted.", reply: "Noted.", usage: TokenUsage()))
    }

    @Test func aPrincipalWithoutTheAgentIsRefusedAndAudited() throws {
        var world = CoreWorld { call in
            if case .grants = call.request {
                return .grants(PrincipalGrants(principal: "eve", roles: ["guest"], enforced: true, agents: [], capabilities: [], records: [:]))
            }
            return CoreWorld.standardAnswer(call)
        }
        let (ending, sent, _) = world.drive(core.decide)
        #expect(sent.map(\.request.kind) == ["grants", "audit"])
        guard case .failed(let error, _, _)? = ending else { return }
        #expect(error.code == "PERMISSION_DENIED")
    }

    @Test func anUnreachableTrustFailsTheTurnAfterItsRetries() throws {
        var world = CoreWorld { call in
            if case .maskTurn = call.request {
                return .failed(CallFailure(code: "dependency_unavailable", message: "timed out", retryable: true))
            }
            return CoreWorld.standardAnswer(call)
        }
        let (ending, sent, _) = world.drive(core.decide)
        #expect(sent.filter { $0.request.kind == "mask" }.count == ConversationCore.serviceRetry.attempts)
        guard case .failed(let error, _, _)? = ending else { return }
        #expect(error.code == "DEPENDENCY_UNAVAILABLE")
        #expect(!sent.contains { $0.request.kind == "model" })
    }
}
