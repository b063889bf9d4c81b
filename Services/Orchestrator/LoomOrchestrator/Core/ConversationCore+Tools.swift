import Foundation
import LoomConfig
import LoomContract

/// The tool calls of one model response: refused when the principal's roles or the tool flow do
/// not allow them, passed through their human gates, then run together; results in call order.
extension ConversationCore {
    enum RoundResult {
        /// Answers are missing; the walk stops here.
        case pending
        /// The turn ends here (a question to the user, or a wait for approvals).
        case stopped(CoreDecision)
        /// The tool messages, in call order.
        case results([ChatMessage])
    }

    /// What happens to one call.
    private enum Plan {
        case invoke(ToolCall, refusal: ToolRefusal?, preset: ToolCallResult?)
        case confirm(ToolCall)
        case waiting(ToolCall, approvalId: String)
    }

    /// - Parameter answering: the call a confirmation question was about, and the user's answer.
    func toolRound(
        _ calls: [ToolCall], _ walk: inout DecisionWalk, _ conversation: inout Conversation,
        answering: (callId: String, answer: HumanGate.Answer)?
    ) -> RoundResult {
        let base = conversation.sequence
        var planned = conversation.flow
        let permissions = PermissionGuard(grants: conversation.grants)
        var plans: [Plan] = []
        var missing = false
        for call in calls {
            if let capability = offered[call.name],
                let denied = permissions.refusal(call.name, capability: capability, arguments: call.arguments)
            {
                plans.append(.invoke(call, refusal: denied, preset: nil))
                continue
            }
            guard let capability = offered[call.name] else {
                plans.append(.invoke(call, refusal: nil, preset: nil))
                continue
            }
            if let reason = planned.refusal(for: call.name, among: offered.keys) {
                let guidance = "use one of: \(planned.eligible(among: offered.keys).sorted().joined(separator: ", "))"
                plans.append(.invoke(
                    call, refusal: ToolRefusal(code: "tool_not_available", reason: reason, guidance: guidance, policy: "tool-flow"),
                    preset: nil))
                continue
            }
            planned.chose(call.name)
            if let answering, answering.callId == call.id, answering.answer != .yes {
                let declined = ToolCallResult.failure(
                    "declined", answering.answer == .no ? "the user declined this action" : "the user did not confirm this action",
                    guidance: "do not do it; answer the user's latest message instead")
                plans.append(.invoke(call, refusal: nil, preset: declined))
                continue
            }
            switch HumanGate.preflight(call, capability: capability, confirmed: answering?.callId == call.id) {
            case .confirm:
                plans.append(.confirm(call))
            case .run(let runnable):
                plans.append(.invoke(runnable, refusal: nil, preset: nil))
            case .needsApproval(let gated):
                switch approval(of: gated, &walk) {
                case nil: missing = true
                case .approved?: plans.append(.invoke(gated, refusal: nil, preset: nil))
                case .pending(let id)?: plans.append(.waiting(gated, approvalId: id))
                case .refused(let result)?: plans.append(.invoke(gated, refusal: nil, preset: result))
                }
            }
        }
        if missing { return .pending }
        if let asked = plans.lazy.compactMap({ if case .confirm(let call) = $0 { call } else { nil } }).first {
            return ask(asked, &walk, conversation)
        }
        var messages: [ChatMessage] = []
        var waiting: [String] = []
        for (index, plan) in plans.enumerated() {
            let sequence = base + 2 * index
            switch plan {
            case .confirm:
                continue
            case .waiting(let call, let approvalId):
                walk.note(
                    StepNumbers.approval + sequence, .approvalRequested,
                    "approval \(approvalId) requested for \(call.name) \(call.arguments.compactJSON)", capability: call.name)
                waiting.append(approvalId)
            case .invoke(let call, let refusal, let preset):
                guard let outcome = invoke(call, sequence: sequence, refusal: refusal, preset: preset, &walk) else {
                    missing = true
                    continue
                }
                if outcome.succeeded { conversation.flow.succeeded(call.name) }
                messages.append(ChatMessage(role: .tool, content: outcome.content, toolCallId: call.id))
            }
        }
        if missing { return .pending }
        if !waiting.isEmpty { return .stopped(walk.end(.paused(approvalIds: waiting))) }
        return .results(messages)
    }

    /// The approval's latest state: asked again after each resumption while it was pending.
    private func approval(of call: ToolCall, _ walk: inout DecisionWalk) -> ApprovalOutcome? {
        let hash = HumanGate.hash(capability: call.name, arguments: call.arguments)
        var latest: ApprovalOutcome?
        for round in 0...walk.resumptions {
            let id = "\(executionId):approval:\(call.id):\(hash)" + (round == 0 ? "" : ":\(round)")
            guard let outcome = walk.askRetrying(id, budget: Self.serviceRetry, { _ in .approval(call: call, round: round) })
            else { return nil }
            guard case .approval(let state) = outcome.outcome else {
                let failure = outcome.outcome.failure
                return .refused(.failure(
                    failure?.code ?? "approval_unavailable", "the approval could not be opened: \(failure?.message ?? "no answer")",
                    retryable: true, guidance: "tell the user it could not be done now"))
            }
            latest = state
            guard case .pending = state else { return state }
        }
        return latest
    }

    /// One call's outcome, retried within its capability's budget; nil while an answer is missing.
    private func invoke(
        _ call: ToolCall, sequence: Int, refusal: ToolRefusal?, preset: ToolCallResult?, _ walk: inout DecisionWalk
    ) -> ToolOutcome? {
        walk.note(
            sequence, .toolCall, TraceText.json(.object(["id": .string(call.id), "arguments": call.arguments])),
            capability: call.name)
        let started = walk.now
        let key = "\(executionId):\(sequence):\(call.id)"
        // Refusals and presets are recorded, never retried: nothing outside can change them.
        let budget = refusal == nil && preset == nil ? (offered[call.name]?.retry ?? RetryBudget()) : RetryBudget(attempts: 1)
        // An irreversible call is asked again only where the answer shows it did not act, or was
        // lost on the way; its own failures may have acted, so they go to the model as they are.
        let irreversible = offered[call.name]?.effect == .irreversible
        let retries: (CallFailure) -> Bool = { !irreversible || ToolCallResult.notPerformedCodes.contains($0.code) }
        guard let recorded = walk.askRetrying(
            "\(executionId):tool:\(sequence)", budget: budget, noteStep: sequence, retries: retries, { attempt in
            .invoke(ToolInvocation(
                call: call, sequence: sequence, attempt: attempt, idempotencyKey: key, refusal: refusal, preset: preset))
        }) else { return nil }
        let outcome: ToolOutcome
        switch recorded.outcome {
        case .tool(let tool):
            outcome = tool
        default:
            let failure = recorded.outcome.failure
            let result = ToolCallResult.failure(
                "tool_unavailable", "the tool could not be reached: \(failure?.message ?? "no answer")", retryable: true,
                guidance: "try again later or answer without it")
            outcome = ToolOutcome(
                content: TraceText.json(ToolResultJSON.encode(result)), succeeded: false, retryable: true, code: "tool_unavailable")
        }
        if let refusal {
            walk.note(
                StepNumbers.refusal + sequence, .policyDecision, "\(refusal.policy): refused \(call.name): \(refusal.reason)",
                capability: call.name)
        }
        if let note = outcome.safetyNote {
            walk.note(StepNumbers.promptSafety + sequence, .policyDecision, note, capability: call.name)
        }
        walk.note(sequence + 1, .toolResult, outcome.content, capability: call.name, started: started, finished: recorded.finishedAt)
        return outcome
    }

    /// The turn ends with a question; the session's next message answers it.
    private func ask(_ call: ToolCall, _ walk: inout DecisionWalk, _ conversation: Conversation) -> RoundResult {
        guard let outcome = walk.askRetrying("\(executionId):ask:\(call.id)", budget: Self.serviceRetry, { _ in
            .ask(call: call, messages: conversation.messages)
        }) else { return .pending }
        guard case .question(let question) = outcome.outcome else { return .stopped(fail(&walk, outcome.outcome)) }
        var ending = conversation
        ending.sequence += 2 * (conversation.messages.last?.toolCalls?.count ?? 0)
        return .stopped(answer(question, &walk, ending))
    }

    /// This message answers the question an earlier turn asked: the asked calls run (or are
    /// declined), and the conversation goes on from where that turn stopped. Nil to go on.
    func answerConfirmation(
        _ pending: PendingConfirmation, asked: [ToolCall], userText: String, _ walk: inout DecisionWalk,
        _ conversation: inout Conversation
    ) -> CoreDecision? {
        let answer = HumanGate.answer(request.text)
        guard walk.askRetrying("\(executionId):confirmation", budget: Self.serviceRetry, { _ in
            .answerConfirmation(id: pending.id, confirmed: answer == .yes)
        }) != nil else { return walk.pending() }
        walk.note(StepNumbers.confirmation, .approvalDecided, "confirmation of \(pending.capability): \(answer.rawValue)")
        let entry = AuditEntry(
            action: "approval", subject: "confirmation:\(pending.capability)",
            detail: ["answer": answer.rawValue, "askedBy": pending.executionId, "principal": conversation.grants.principal],
            key: "confirmation")
        guard walk.askRetrying("\(executionId):audit:confirmation", budget: Self.serviceRetry, { _ in .audit(entry) }) != nil
        else { return walk.pending() }
        conversation.messages = pending.messages
        switch toolRound(asked, &walk, &conversation, answering: (pending.callId, answer)) {
        case .pending: return walk.pending()
        case .stopped(let decision): return decision
        case .results(let messages): conversation.messages += messages
        }
        if answer == .other { conversation.messages.append(ChatMessage(role: .user, content: userText)) }
        conversation.sequence += 2 * asked.count
        return nil
    }
}
