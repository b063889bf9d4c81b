/// One message of a chat prompt as the provider will see it.
public struct ChatMessage: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable, CaseIterable { case system, user, assistant, tool }

    public var role: Role
    public var content: String
    /// For an assistant message: the tools the model asked to call.
    public var toolCalls: [ToolCall]?
    /// For a tool message: which call this is the result of.
    public var toolCallId: String?

    public init(role: Role, content: String, toolCalls: [ToolCall]? = nil, toolCallId: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallId = toolCallId
    }
}

/// A tool call the model asked for.
public struct ToolCall: Sendable, Codable, Equatable {
    /// The provider's id for the call, echoed back with its result.
    public var id: String
    public var name: String
    public var arguments: JSONValue

    public init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A tool as offered to the model: name, description and the JSON Schema of its arguments.
public struct ToolSpec: Sendable, Codable, Equatable {
    public var name: String
    public var description: String
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
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
    /// The tools the model may call; nil or empty for none.
    public var tools: [ToolSpec]?
    /// The JSON Schema the answer must satisfy, for providers that can enforce one.
    public var responseFormat: ResponseFormat?
    /// Set when the caller is reading the answer as it is written: the gateway streams from
    /// the provider and sends each piece of text to the caller as a ``CompletionDelta`` for
    /// this execution before the whole result.
    public var streamExecutionId: String?

    public init(
        agent: String, provider: String, model: String?, temperature: Double?, maxTokens: Int?, messages: [ChatMessage], tools: [ToolSpec]? = nil,
        responseFormat: ResponseFormat? = nil, streamExecutionId: String? = nil
    ) {
        self.agent = agent
        self.provider = provider
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.messages = messages
        self.tools = tools
        self.responseFormat = responseFormat
        self.streamExecutionId = streamExecutionId
    }
}

/// A named JSON Schema for structured output.
public struct ResponseFormat: Sendable, Codable, Equatable {
    public var name: String
    public var schema: JSONValue

    public init(name: String, schema: JSONValue) {
        self.name = name
        self.schema = schema
    }
}

/// A piece of answer text as the provider streams it. Gateway → the caller of the completion,
/// numbered from 0 per request so the receiver can put pieces back in order.
public struct CompletionDelta: MessagePayload, Equatable {
    public static let kind = MessageKind.completionDelta

    public var executionId: String
    /// The completion request this piece belongs to.
    public var requestId: String
    public var index: Int
    public var text: String

    public init(executionId: String, requestId: String, index: Int, text: String) {
        self.executionId = executionId
        self.requestId = requestId
        self.index = index
        self.text = text
    }
}

/// Ask the gateway for the provider's own safety check of (masked) text.
public struct ModerationRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.moderationRequest

    public var agent: String
    public var provider: String
    public var text: String

    public init(agent: String, provider: String, text: String) {
        self.agent = agent
        self.provider = provider
        self.text = text
    }
}

public struct ModerationResult: MessagePayload, Equatable {
    public static let kind = MessageKind.moderationResult

    public var flagged: Bool
    /// The categories the provider flagged, e.g. `harassment`, `violence`.
    public var categories: [String]
    public var provider: String

    public init(flagged: Bool, categories: [String], provider: String) {
        self.flagged = flagged
        self.categories = categories
        self.provider = provider
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
    /// Tools the model asked to call (finish reason `tool_calls`); nil when it answered.
    public var toolCalls: [ToolCall]?
    /// Providers that were tried first and failed, in order, when a fallback answered.
    public var failedOver: [String]?

    public init(
        text: String, provider: String, model: String, usage: TokenUsage, finishReason: String, toolCalls: [ToolCall]? = nil,
        failedOver: [String]? = nil
    ) {
        self.text = text
        self.provider = provider
        self.model = model
        self.usage = usage
        self.finishReason = finishReason
        self.toolCalls = toolCalls
        self.failedOver = failedOver
    }
}
