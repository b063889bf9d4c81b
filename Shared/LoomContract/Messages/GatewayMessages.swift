/// One message of a chat prompt as the provider will see it.
public struct ChatMessage: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable { case system, user, assistant, tool }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// Ask the gateway for a completion from the agent's provider.
public struct CompletionRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.completionRequest

    public var agent: String
    public var provider: String
    public var model: String?
    public var temperature: Double?
    public var maxTokens: Int?
    public var messages: [ChatMessage]

    public init(agent: String, provider: String, model: String?, temperature: Double?, maxTokens: Int?, messages: [ChatMessage]) {
        self.agent = agent
        self.provider = provider
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.messages = messages
    }
}

public struct CompletionResult: MessagePayload, Equatable {
    public static let kind = MessageKind.completionResult

    public var text: String
    /// The provider that actually answered.
    public var provider: String
    public var model: String
    public var usage: TokenUsage
    public var finishReason: String

    public init(text: String, provider: String, model: String, usage: TokenUsage, finishReason: String) {
        self.text = text
        self.provider = provider
        self.model = model
        self.usage = usage
        self.finishReason = finishReason
    }
}
