import LoomConfig
import LoomContract

/// Decides whose history an OpenAI-style turn uses: the caller's messages or the session's
/// memory. Without a session key the caller's messages are the conversation. With one, the
/// session's memory is, as long as the caller's earlier messages are the end of what the
/// session holds; when they are not, the endpoint's `requestHistory` decides.
struct CallerHistory {
    let policy: ChannelEndpoint.RequestHistory

    struct Decision: Equatable {
        /// What the orchestrator receives.
        var conversation: CallerConversation?
        /// For the caller's `X-Loom-History`: `request`, `session` or `session-differs`.
        var used: String?
    }

    struct Mismatch: Error, Equatable {
        var detail: String
    }

    /// `held` is the end of the session's transcript, oldest first, at most as long as the
    /// caller's earlier messages.
    func decide(
        _ conversation: CallerConversation?, hasSessionKey: Bool, held: [CallerConversation.Message]
    ) throws(Mismatch) -> Decision {
        guard let conversation else { return Decision(conversation: nil, used: nil) }
        let sent = conversation.messages ?? []
        guard hasSessionKey else { return Decision(conversation: conversation, used: sent.isEmpty ? nil : "request") }
        let instructionsOnly = CallerConversation(instructions: conversation.instructions, messages: nil)
        let kept = instructionsOnly.isEmpty ? nil : instructionsOnly
        if sent.isEmpty { return Decision(conversation: kept, used: nil) }
        guard let differing = Self.firstDifference(sent: sent, held: held) else {
            return Decision(conversation: kept, used: "session")
        }
        switch policy {
        case .request:
            return Decision(conversation: conversation, used: "request")
        case .session:
            return Decision(conversation: kept, used: "session-differs")
        case .refuse:
            throw Mismatch(detail: """
                messages[\(differing)] is not what the session holds (it holds \(held.count) of the \(sent.count) earlier \
                messages sent); send only the new message with this session key, drop the key to send the whole \
                conversation, or set requestHistory on the endpoint
                """)
        }
    }

    /// The index of the first sent message that is not the session's message at the same
    /// distance from the end, or nil when all of them are.
    static func firstDifference(sent: [CallerConversation.Message], held: [CallerConversation.Message]) -> Int? {
        let offset = held.count - sent.count
        for (index, message) in sent.enumerated() {
            let heldIndex = offset + index
            guard heldIndex >= 0, Self.same(message, held[heldIndex]) else { return index }
        }
        return nil
    }

    private static func same(_ a: CallerConversation.Message, _ b: CallerConversation.Message) -> Bool {
        a.role == b.role
            && a.text.trimmingCharacters(in: .whitespacesAndNewlines) == b.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
