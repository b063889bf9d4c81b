/// The transport a message arrived on. Orthogonal to the agent's runtime strategy.
public enum Channel: String, Sendable, Codable, CaseIterable {
    case api, chat, openai, email, slack, sms, whatsapp
}
