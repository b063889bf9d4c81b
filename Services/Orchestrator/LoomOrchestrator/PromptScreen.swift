import LoomBus
import LoomConfig
import LoomContract

/// Assesses a turn's (masked) text before it reaches the model, as the agent's prompt-safety
/// settings ask: today through the provider's moderation check, made by the gateway.
struct PromptScreen: Sendable {
    let node: BusNode
    let callTimeout: Duration

    struct Assessment: Sendable {
        /// Whether the turn must not go to the model.
        var blocks: Bool
        /// What is recorded on the execution's trace.
        var note: String
    }

    /// Nil when there is nothing to assess or to record.
    func assess(_ text: String, agent: AgentDefinition, request: ExecutionRequest, correlation: Correlation) async -> Assessment? {
        let settings = agent.trust.promptSafety
        guard settings.preset != .off, let moderation = settings.moderation else { return nil }
        let blocking = settings.preset == .block
        do {
            let verdict = try await node.call(
                ModerationRequest(agent: request.agent, provider: moderation.provider, text: text), to: .peer("gateway"),
                expecting: ModerationResult.self, requestId: "\(request.executionId):moderation", correlation: correlation,
                timeout: .seconds(30), attempts: 2)
            guard verdict.flagged else { return nil }
            let categories = verdict.categories.isEmpty ? "unspecified" : verdict.categories.joined(separator: ", ")
            return Assessment(
                blocks: blocking, note: "moderation (\(verdict.provider)) flagged the message: \(categories); \(blocking ? "blocked" : "flagged only")")
        } catch {
            let closed = moderation.onError == .closed
            return Assessment(
                blocks: closed && blocking,
                note: "moderation (\(moderation.provider)) unavailable: \(error); failing \(closed ? "closed" : "open")"
                    + (closed && blocking ? ", blocked" : ", let through"))
        }
    }

    static let refusal = "I'm sorry, but I can't help with that request. If you think this is a mistake, please rephrase your message."
}
