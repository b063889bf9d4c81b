import Foundation

/// An ingress instance telling the router it is alive and can deliver asynchronous replies.
/// Sent at start-up and periodically; the router spreads channel deliveries over live instances.
public struct PresenceAnnouncement: MessagePayload, Equatable {
    public static let kind = MessageKind.presenceAnnouncement
    public var instance: String
    public var role: String
    public init(instance: String, role: String = "ingress") {
        self.instance = instance
        self.role = role
    }
}

public struct PresenceAcknowledged: MessagePayload, Equatable {
    public static let kind = MessageKind.presenceAcknowledged
    public init() {}
}

/// Close a session on purpose; the next message on its thread opens a new one.
public struct SessionCloseRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.sessionCloseRequest
    public var sessionId: String
    public init(sessionId: String) { self.sessionId = sessionId }
}

public struct SessionCloseResult: MessagePayload, Equatable {
    public static let kind = MessageKind.sessionCloseResult
    public var session: InteractionSession
    /// False when the session was already closed (closing is idempotent).
    public var changed: Bool
    public init(session: InteractionSession, changed: Bool) {
        self.session = session
        self.changed = changed
    }
}

/// Outbound messages held back by a `draft` or `review` policy.
public struct DraftListQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.draftListQuery
    public var limit: Int
    public init(limit: Int = 100) { self.limit = limit }
}

public struct DraftListResult: MessagePayload, Equatable {
    public static let kind = MessageKind.draftListResult
    public var drafts: [InteractionMessage]
    public init(drafts: [InteractionMessage]) { self.drafts = drafts }
}

/// Release or discard a held outbound message. `send` releases a draft; `approve` and `reject`
/// decide a message under review.
public struct DraftDecision: MessagePayload, Equatable {
    public static let kind = MessageKind.draftDecision
    public enum Action: String, Sendable, Codable, CaseIterable { case send, approve, reject }
    public var messageId: String
    public var action: Action
    /// Who decided, recorded with the message.
    public var actor: String
    public init(messageId: String, action: Action, actor: String) {
        self.messageId = messageId
        self.action = action
        self.actor = actor
    }
}

public struct DraftDecisionResult: MessagePayload, Equatable {
    public static let kind = MessageKind.draftDecisionResult
    public var message: InteractionMessage
    public init(message: InteractionMessage) { self.message = message }
}

/// The reply an execution produced, as the router recorded it (for the events stream).
public struct ExecutionReplyQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.executionReplyQuery
    public var executionId: String
    public init(executionId: String) { self.executionId = executionId }
}

public struct ExecutionReplyResult: MessagePayload, Equatable {
    public static let kind = MessageKind.executionReplyResult
    public var message: InteractionMessage?
    public init(message: InteractionMessage?) { self.message = message }
}
