/// The transport a message arrived on. Orthogonal to the agent's runtime strategy.
public enum Channel: String, Sendable, Codable, CaseIterable {
    case api, chat, openai, email, slack, sms, whatsapp

    /// Whether the reply is given to the caller waiting on the HTTP request (through the
    /// ingress instance holding it) rather than sent out through the channel's own API.
    public var answersInline: Bool {
        switch self {
        case .api, .chat, .openai: true
        case .email, .slack, .sms, .whatsapp: false
        }
    }
}
