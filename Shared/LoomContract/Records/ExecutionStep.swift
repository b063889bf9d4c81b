import Foundation

/// One thing the runtime did while handling an execution, in order.
public struct ExecutionStep: Sendable, Codable, Equatable {
    public enum StepType: String, Sendable, Codable, CaseIterable {
        case userTurn, llmRequest, llmResponse, toolCall, toolResult, approvalRequested, approvalDecided
        case assistantResponse, error, policyDecision
    }

    public var executionId: String
    public var sequence: Int
    public var type: StepType
    /// What the step saw or produced; masked wherever masking is on.
    public var content: String
    public var capability: String?
    public var startedAt: Date
    public var durationMs: Double
    public var usage: TokenUsage?
    /// For a model response: the provider that answered (a fallback, when the agent's own was down).
    public var provider: String?

    public init(
        executionId: String, sequence: Int, type: StepType, content: String, capability: String? = nil,
        startedAt: Date, durationMs: Double, usage: TokenUsage? = nil, provider: String? = nil
    ) {
        self.executionId = executionId
        self.sequence = sequence
        self.type = type
        self.content = content
        self.capability = capability
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.usage = usage
        self.provider = provider
    }
}
