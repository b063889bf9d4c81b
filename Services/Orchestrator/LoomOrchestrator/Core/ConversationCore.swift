import Foundation
import LoomConfig
import LoomContract

/// The decisions of a conversational turn, as a pure function of its history: which calls to
/// make, what to put on the trace, and how the turn ends. It does no I/O and reads no clock;
/// every answer from outside, the time included, arrives as a recorded outcome.
///
/// The turn: the principal's grants; the masked message; the turn's own records (absorbed
/// messages, history, a pending confirmation, the time); prompt safety; context blocks; the
/// summary; then processing cycles of model answers and tool calls until the model answers.
struct ConversationCore: Sendable {
    let request: ExecutionRequest
    let agent: AgentDefinition
    /// The agent's capabilities the model may see and call.
    let offered: [String: CapabilityDefinition]

    /// Tool calls taken from one model response; more are left out as a runaway.
    static let maxCallsPerResponse = 16
    /// Retries of calls to the other services (trust, the turn's records).
    static let serviceRetry = RetryBudget(attempts: 3, withinSeconds: 20, baseDelayMilliseconds: 250, maxDelayMilliseconds: 2000)
    /// Retries of a model call whose failure outlived the gateway's own retries and fallbacks.
    static let modelRetry = RetryBudget(attempts: 2, withinSeconds: 300, baseDelayMilliseconds: 1000, maxDelayMilliseconds: 8000)

    init(request: ExecutionRequest, agent: AgentDefinition, capabilities: [String: CapabilityDefinition]) {
        self.request = request
        self.agent = agent
        var offered: [String: CapabilityDefinition] = [:]
        for name in agent.capabilities {
            if let capability = capabilities[name], capability.exposure == .model { offered[name] = capability }
        }
        self.offered = offered
    }

    var executionId: String { request.executionId }
    private var masking: Bool { agent.trust.masking != .off }

    func decide(_ known: [String: RecordedOutcome]) -> CoreDecision {
        var walk = DecisionWalk(executionId: executionId, known: known, start: .distantPast)
        let query = PrincipalGrantsQuery(
            channel: request.channel.rawValue, endpoint: request.endpoint, sender: request.principal ?? request.sender)
        guard let grantsOutcome = walk.askRetrying("\(executionId):grants", budget: Self.serviceRetry, { _ in .grants(query) })
        else { return walk.pending() }
        guard case .grants(let grants) = grantsOutcome.outcome else { return fail(&walk, grantsOutcome.outcome) }
        guard grants.allows(agent: request.agent) else { return refuseAgent(&walk, grants) }
        var masked = request.text
        if masking {
            guard let outcome = walk.askRetrying("\(executionId):mask:1", budget: Self.serviceRetry, { _ in
                .maskTurn(text: request.text, preset: agent.trust.masking.rawValue)
            }) else { return walk.pending() }
            guard case .masked(let text) = outcome.outcome else { return fail(&walk, outcome.outcome) }
            masked = text
        }
        let caller: CallerConversation?
        switch maskedCaller(&walk) {
        case .ready(let conversation): caller = conversation
        case .pending: return walk.pending()
        case .ended(let decision): return decision
        }
        guard let startOutcome = walk.askRetrying("\(executionId):turn-start", budget: Self.serviceRetry, { _ in .turnStart })
        else { return walk.pending() }
        guard case .turnStart(let start) = startOutcome.outcome else { return fail(&walk, startOutcome.outcome) }
        let userText = (start.absorbedTexts + [masked]).joined(separator: "\n\n")
        walk.setTrigger(userText)
        walk.note(StepNumbers.userTurn, .userTurn, userText, started: start.now)
        if agent.trust.promptSafety.preset != .off {
            guard let outcome = walk.askRetrying("\(executionId):screen", budget: Self.serviceRetry, { _ in
                .screenInbound(text: Self.screenedText(userText, caller: caller))
            }) else { return walk.pending() }
            guard case .assessment(let assessment) = outcome.outcome else { return fail(&walk, outcome.outcome) }
            if let assessment {
                walk.note(StepNumbers.promptSafety, .policyDecision, assessment.note)
                if assessment.blocks {
                    return walk.end(.failed(
                        ExecutionError(code: "PROMPT_BLOCKED", message: assessment.note), reply: PromptScreen.refusal, usage: nil))
                }
            }
        }
        var context = ContextOutcome(blocks: [], warnings: [])
        if !agent.context.isEmpty {
            let earlier = caller?.messages.map { $0.filter { $0.role == .user }.map(\.text) } ?? start.history.map(\.user)
            guard let outcome = walk.askRetrying("\(executionId):context", budget: Self.serviceRetry, { _ in
                .context(earlierTexts: earlier)
            }) else { return walk.pending() }
            guard case .context(let filled) = outcome.outcome else { return fail(&walk, outcome.outcome) }
            context = filled
            for (index, warning) in filled.warnings.enumerated() {
                walk.note(StepNumbers.contextWarnings + index, .policyDecision, warning)
            }
        }
        var summary: String?
        // The caller's own messages, when they are the conversation, replace the session's memory.
        if agent.memory.strategy == .summaryBuffer, caller?.messages == nil {
            guard let outcome = walk.askRetrying("\(executionId):summary", budget: Self.serviceRetry, { _ in .summary })
            else { return walk.pending() }
            guard case .summary(let text) = outcome.outcome else { return fail(&walk, outcome.outcome) }
            summary = text
        }
        var conversation = Conversation(
            messages: PromptBuilder(agent: agent).messages(
                history: start.history, userText: userText, now: start.now, context: context.blocks, summary: summary,
                caller: caller),
            flow: ToolFlowState(flow: agent.toolFlow), grants: grants)
        if let pending = start.pendingConfirmation, let asked = pending.messages.last?.toolCalls, !asked.isEmpty {
            if let stopped = answerConfirmation(pending, asked: asked, userText: userText, &walk, &conversation) {
                return stopped
            }
        }
        return cycles(&walk, &conversation)
    }

    /// What a turn carries from cycle to cycle.
    struct Conversation {
        var messages: [ChatMessage]
        var flow: ToolFlowState
        let grants: PrincipalGrants
        var sequence = StepNumbers.firstCycle
        var usage = TokenUsage()
    }

    private func cycles(_ walk: inout DecisionWalk, _ conversation: inout Conversation) -> CoreDecision {
        for _ in 0..<agent.maxProcessingCycles {
            let sequence = conversation.sequence
            // Only what the flow and the principal's roles allow now is offered.
            let eligible = conversation.flow.eligible(among: offered.keys.filter { conversation.grants.allows(capability: $0) })
            let tools = offered.filter { eligible.contains($0.key) }.sorted { $0.key < $1.key }
                .map { ToolSpec(name: $0.key, description: $0.value.description, parameters: HumanGate.parameters(of: $0.value)) }
            let completionRequest = CompletionRequest(
                agent: request.agent, provider: agent.provider, model: agent.model, temperature: agent.temperature,
                maxTokens: agent.maxTokens, messages: conversation.messages, tools: tools.isEmpty ? nil : tools,
                streamExecutionId: request.streamReply == true ? executionId : nil)
            let callId = "\(executionId):llm:\(sequence)"
            walk.note(sequence, .llmRequest, TraceText.promptReference(callId))
            guard let outcome = walk.askRetrying(callId, budget: Self.modelRetry, noteStep: sequence, { _ in
                .complete(completionRequest)
            }) else { return walk.pending() }
            guard case .completion(let completion) = outcome.outcome else { return fail(&walk, outcome.outcome) }
            conversation.usage = conversation.usage + completion.usage
            let requested = Array((completion.toolCalls ?? []).prefix(Self.maxCallsPerResponse))
            walk.note(
                sequence + 1, .llmResponse,
                requested.isEmpty ? completion.text : TraceText.json(.array(requested.map(TraceText.describe))),
                started: outcome.startedAt, finished: outcome.finishedAt, usage: completion.usage, provider: completion.provider)
            conversation.sequence += 2
            guard !requested.isEmpty else { return answer(completion.text, &walk, conversation) }
            conversation.messages.append(ChatMessage(role: .assistant, content: completion.text, toolCalls: requested))
            switch toolRound(requested, &walk, &conversation, answering: nil) {
            case .pending: return walk.pending()
            case .stopped(let decision): return decision
            case .results(let messages): conversation.messages += messages
            }
            conversation.sequence += 2 * requested.count
        }
        return walk.end(.failed(
            ExecutionError(
                code: "MAX_CYCLES",
                message: "no answer within \(agent.maxProcessingCycles) processing cycles (the model kept calling tools)"),
            reply: nil, usage: conversation.usage))
    }

    /// Ends the turn with this (masked) answer: the reply restores the originals.
    func answer(_ text: String, _ walk: inout DecisionWalk, _ conversation: Conversation) -> CoreDecision {
        var reply = text
        if masking {
            guard let outcome = walk.askRetrying("\(executionId):unmask:\(conversation.sequence)", budget: Self.serviceRetry, { _ in
                .unmask(text: text)
            }) else { return walk.pending() }
            guard case .unmasked(let restored) = outcome.outcome else { return fail(&walk, outcome.outcome) }
            reply = restored
        }
        walk.note(conversation.sequence, .assistantResponse, text)
        return walk.end(.completed(maskedAnswer: text, reply: reply, usage: conversation.usage))
    }

    /// Ends the turn on a call that failed for good.
    func fail(_ walk: inout DecisionWalk, _ outcome: CallOutcome, usage: TokenUsage? = nil) -> CoreDecision {
        let failure = outcome.failure ?? CallFailure(code: "protocol", message: "unexpected answer \(outcome)", retryable: false)
        return walk.end(.failed(ExecutionError(code: failure.code.uppercased(), message: failure.message), reply: nil, usage: usage))
    }

    private func refuseAgent(_ walk: inout DecisionWalk, _ grants: PrincipalGrants) -> CoreDecision {
        let reason = "\(grants.principal) (roles: \(grants.roles.joined(separator: ", "))) may not use the agent '\(request.agent)'"
        let entry = AuditEntry(
            action: "permission", subject: "agent:\(request.agent)",
            detail: ["decision": "refused", "principal": grants.principal, "reason": reason], key: "agent")
        guard walk.askRetrying("\(executionId):audit:agent", budget: Self.serviceRetry, { _ in .audit(entry) }) != nil
        else { return walk.pending() }
        return walk.end(.failed(
            ExecutionError(code: "PERMISSION_DENIED", message: reason), reply: "Sorry, this assistant is not available to you.", usage: nil))
    }
}
