import LoomContract

/// The caller's own conversation (an OpenAI-style request's instructions and earlier
/// messages), masked like the turn before any of it is screened or reaches the model.
extension ConversationCore {
    /// The caller's conversation as the prompt uses it: `.some(nil)` when there is none,
    /// nil while its masking is pending, or the decision that ended the turn.
    enum CallerStep {
        case ready(CallerConversation?)
        case pending
        case ended(CoreDecision)
    }

    func maskedCaller(_ walk: inout DecisionWalk) -> CallerStep {
        guard let conversation = request.conversation, !conversation.isEmpty else { return .ready(nil) }
        guard agent.trust.masking != .off else { return .ready(conversation) }
        let messages = conversation.messages ?? []
        let texts = conversation.instructions + messages.map(\.text)
        guard let outcome = walk.askRetrying("\(executionId):mask:history", budget: Self.serviceRetry, { _ in
            .maskTexts(texts: texts, preset: agent.trust.masking.rawValue)
        }) else { return .pending }
        guard case .maskedTexts(let masked) = outcome.outcome, masked.count == texts.count else {
            return .ended(fail(&walk, outcome.outcome))
        }
        let instructions = Array(masked.prefix(conversation.instructions.count))
        let earlier = zip(messages, masked.dropFirst(conversation.instructions.count)).map { message, text in
            CallerConversation.Message(role: message.role, text: text)
        }
        return .ready(CallerConversation(instructions: instructions, messages: conversation.messages == nil ? nil : earlier))
    }

    /// What prompt safety reads: the caller's texts, then the turn.
    static func screenedText(_ userText: String, caller: CallerConversation?) -> String {
        guard let caller else { return userText }
        return (caller.instructions + (caller.messages ?? []).map(\.text) + [userText]).joined(separator: "\n\n")
    }
}
