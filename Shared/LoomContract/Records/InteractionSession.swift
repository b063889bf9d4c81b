import Foundation

/// A longer-lived conversation or thread that several executions belong to.
public struct InteractionSession: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable { case active, closed }

    public enum RolloverReason: String, Sendable, Codable, CaseIterable {
        case inactivity, turnLimit, explicitClose
    }

    public var id: String
    public var channel: Channel
    public var endpoint: String
    /// The channel's thread identity (a chat session key, a Slack thread, an e-mail thread root).
    public var continuityKey: String
    public var participant: String
    public var agent: String
    public var status: Status
    public var createdAt: Date
    public var lastActivityAt: Date
    public var turnCount: Int
    public var rolloverReason: RolloverReason?

    public init(
        id: String, channel: Channel, endpoint: String, continuityKey: String, participant: String, agent: String,
        status: Status = .active, createdAt: Date = Date(), lastActivityAt: Date = Date(), turnCount: Int = 0,
        rolloverReason: RolloverReason? = nil
    ) {
        self.id = id
        self.channel = channel
        self.endpoint = endpoint
        self.continuityKey = continuityKey
        self.participant = participant
        self.agent = agent
        self.status = status
        self.createdAt = createdAt
        self.lastActivityAt = lastActivityAt
        self.turnCount = turnCount
        self.rolloverReason = rolloverReason
    }
}
