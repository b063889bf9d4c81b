import Foundation

/// What came in or went out over a transport.
public struct InteractionMessage: Sendable, Codable, Equatable {
    public enum Direction: String, Sendable, Codable, CaseIterable { case inbound, outbound }

    public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
        case received, queued, sent, failed, suppressed, draft
    }

    public var id: String
    public var sessionId: String
    public var executionId: String?
    public var direction: Direction
    public var channel: Channel
    public var externalMessageId: String?
    public var sender: String
    public var recipient: String
    public var body: String
    public var attachments: [Attachment]
    public var deliveryStatus: DeliveryStatus
    /// For outbound messages: the policy that decided how this one is delivered.
    public var deliveryPolicy: DeliveryPolicy?
    /// Why the last delivery attempt failed, or who released a held message.
    public var deliveryDetail: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, sessionId: String, executionId: String?, direction: Direction, channel: Channel,
        externalMessageId: String?, sender: String, recipient: String, body: String, attachments: [Attachment] = [],
        deliveryStatus: DeliveryStatus, deliveryPolicy: DeliveryPolicy? = nil, deliveryDetail: String? = nil,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.sessionId = sessionId
        self.executionId = executionId
        self.direction = direction
        self.channel = channel
        self.externalMessageId = externalMessageId
        self.sender = sender
        self.recipient = recipient
        self.body = body
        self.attachments = attachments
        self.deliveryStatus = deliveryStatus
        self.deliveryPolicy = deliveryPolicy
        self.deliveryDetail = deliveryDetail
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A file that travelled with a message; only its description is kept.
public struct Attachment: Sendable, Codable, Equatable {
    public var name: String
    public var contentType: String
    public var bytes: Int

    public init(name: String, contentType: String, bytes: Int) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// How an endpoint's replies leave: sent at once, kept as a draft for someone to send, recorded
/// and never sent, or sent only after a reviewer approves.
public enum DeliveryPolicy: String, Sendable, Codable, CaseIterable {
    case reply, draft, suppress, review
}
