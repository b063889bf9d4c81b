import Foundation

/// Calls, tokens and cost of model providers over a period, grouped by agent and provider.
public struct UsageQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.usageQuery
    public var since: Date
    public var until: Date
    /// Only this agent, when set.
    public var agent: String?

    public init(since: Date, until: Date = Date(), agent: String? = nil) {
        self.since = since
        self.until = until
        self.agent = agent
    }
}

public struct UsageReport: MessagePayload, Equatable {
    public static let kind = MessageKind.usageReport

    public struct Row: Sendable, Codable, Equatable {
        public var agent: String
        /// The provider that answered (or last failed).
        public var provider: String
        public var calls: Int
        /// Calls that ended without an answer from this provider.
        public var failures: Int
        public var inputTokens: Int
        public var outputTokens: Int
        /// US dollars; nil when the provider has no prices configured.
        public var cost: Double?

        public init(agent: String, provider: String, calls: Int, failures: Int, inputTokens: Int, outputTokens: Int, cost: Double?) {
            self.agent = agent
            self.provider = provider
            self.calls = calls
            self.failures = failures
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.cost = cost
        }
    }

    public var since: Date
    public var until: Date
    public var rows: [Row]

    public init(since: Date, until: Date, rows: [Row]) {
        self.since = since
        self.until = until
        self.rows = rows
    }
}
