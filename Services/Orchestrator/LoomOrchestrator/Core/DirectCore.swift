import Foundation
import LoomConfig
import LoomContract

/// The decisions of a `direct` run, as a pure function of its history: one input object in, one
/// output object out that matches the agent's output schema. Output that does not parse or match
/// goes back to the model once with the reasons; a second miss fails with `OUTPUT_INVALID`.
struct DirectCore: Sendable {
    let executionId: String
    let agentName: String
    let agent: AgentDefinition
    let schema: JSONSchema
    let input: JSONValue

    /// Attempts at a valid output: the first answer and one correction.
    static let attempts = 2

    func decide(_ known: [String: RecordedOutcome]) -> CoreDecision {
        var walk = DecisionWalk(executionId: executionId, known: known, start: .distantPast)
        let masking = agent.trust.masking != .off
        var maskedInput = input
        if masking {
            guard let outcome = walk.askRetrying("\(executionId):mask-input", budget: ConversationCore.serviceRetry, { _ in
                .maskInput(input)
            }) else { return walk.pending() }
            guard case .value(let value) = outcome.outcome else { return fail(&walk, outcome.outcome, usage: nil) }
            maskedInput = value
        }
        // The prompt's date and time: the moment the clock was read, as recorded.
        guard let clock = walk.ask("\(executionId):clock", .clock) else { return walk.pending() }
        let now = clock.finishedAt
        let inputText = TraceText.json(maskedInput)
        walk.setTrigger(inputText)
        walk.note(StepNumbers.userTurn, .userTurn, inputText, started: now)
        var messages = PromptBuilder(agent: agent).messages(history: [], userText: inputText, now: now)
        messages[0].content += "\n\nAnswer with only a JSON object, no other text, that matches this JSON Schema:\n"
            + TraceText.json(schema.root)
        var sequence = StepNumbers.firstCycle
        var usage = TokenUsage()
        var reasons = ""
        for _ in 0..<Self.attempts {
            let request = CompletionRequest(
                agent: agentName, provider: agent.provider, model: agent.model, temperature: agent.temperature,
                maxTokens: agent.maxTokens, messages: messages, responseFormat: ResponseFormat(name: agentName, schema: schema.root))
            let callId = "\(executionId):llm:\(sequence)"
            walk.note(sequence, .llmRequest, TraceText.promptReference(callId))
            guard let outcome = walk.askRetrying(
                callId, budget: ConversationCore.modelRetry, noteStep: sequence, { _ in .complete(request) })
            else { return walk.pending() }
            guard case .completion(let completion) = outcome.outcome else { return fail(&walk, outcome.outcome, usage: usage) }
            usage = usage + completion.usage
            walk.note(
                sequence + 1, .llmResponse, completion.text, started: outcome.startedAt, finished: outcome.finishedAt,
                usage: completion.usage, provider: completion.provider)
            sequence += 2
            switch OutputCheck.check(completion.text, against: schema) {
            case .success(let output):
                return finish(output, sequence: sequence, usage: usage, masking: masking, &walk)
            case .failure(let problem):
                reasons = problem.description
                walk.note(sequence, .error, "OUTPUT_INVALID: \(problem)")
                sequence += 1
                messages.append(ChatMessage(role: .assistant, content: completion.text))
                messages.append(ChatMessage(
                    role: .user, content: "Your output was not valid: \(problem). Answer again with only the corrected JSON object."))
            }
        }
        let error = ExecutionError(
            code: "OUTPUT_INVALID", message: "the output did not match the output schema after a correction: \(reasons)")
        return walk.end(.failed(error, reply: "", usage: usage))
    }

    private func finish(
        _ output: JSONValue, sequence: Int, usage: TokenUsage, masking: Bool, _ walk: inout DecisionWalk
    ) -> CoreDecision {
        var restored = output
        if masking {
            guard let outcome = walk.askRetrying("\(executionId):unmask-output", budget: ConversationCore.serviceRetry, { _ in
                .unmaskOutput(output)
            }) else { return walk.pending() }
            guard case .value(let value) = outcome.outcome else { return fail(&walk, outcome.outcome, usage: usage) }
            restored = value
        }
        walk.note(sequence, .assistantResponse, TraceText.json(output))
        return walk.end(.completed(maskedAnswer: TraceText.json(output), reply: TraceText.json(restored), usage: usage))
    }

    private func fail(_ walk: inout DecisionWalk, _ outcome: CallOutcome, usage: TokenUsage?) -> CoreDecision {
        let failure = outcome.failure ?? CallFailure(code: "protocol", message: "unexpected answer \(outcome)", retryable: false)
        return walk.end(.failed(ExecutionError(code: failure.code.uppercased(), message: failure.message), reply: "", usage: usage))
    }
}
