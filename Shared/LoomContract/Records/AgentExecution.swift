import Foundation

/// One unit of agent work: a turn of a conversation, or one direct run.
public struct AgentExecution: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, running, awaitingConfirmation, awaitingApproval, completed, failed, cancelled

        public var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }
    }

    public var id: String
    public var agent: String
    public var sessionId: String?
    public var channel: Channel
    public var strategy: RuntimeStrategy
    public var turnId: String
    public var status: Status
    /// What started the execution (masked text of the user turn when masking is on).
    public var trigger: String
    public var result: String?
    public var error: ExecutionError?
    public var usage: TokenUsage
    public var createdAt: Date
    public var startedAt: Date?
    public var completedAt: Date?
    /// The execution whose tool call started this one (agent used as a capability).
    public var parentExecutionId: String?

    public init(
        id: String, agent: String, sessionId: String?, channel: Channel, strategy: RuntimeStrategy, turnId: String,
        status: Status = .pending, trigger: String, result: String? = nil, error: ExecutionError? = nil,
        usage: TokenUsage = TokenUsage(), createdAt: Date = Date(), startedAt: Date? = nil, completedAt: Date? = nil,
        parentExecutionId: String? = nil
    ) {
        self.id = id
        self.agent = agent
        self.sessionId = sessionId
        self.channel = channel
        self.strategy = strategy
        self.turnId = turnId
        self.status = status
        self.trigger = trigger
        self.result = result
        self.error = error
        self.usage = usage
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.parentExecutionId = parentExecutionId
    }
}

/// How an agent runs: a conversation with memory, or a bounded structured call.
public enum RuntimeStrategy: String, Sendable, Codable, CaseIterable {
    case conversational, direct
}

/// Why an execution failed, in a form a program can branch on.
public struct ExecutionError: Sendable, Codable, Equatable, Error {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// Tokens a provider reported (or the scripted provider estimated).
public struct TokenUsage: Sendable, Codable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    /// US dollars at the provider's configured prices; nil when no price is configured.
    public var cost: Double?

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cost: Double? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cost = cost
    }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        let cost: Double? = lhs.cost == nil && rhs.cost == nil ? nil : (lhs.cost ?? 0) + (rhs.cost ?? 0)
        return TokenUsage(inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens, cost: cost)
    }
}
