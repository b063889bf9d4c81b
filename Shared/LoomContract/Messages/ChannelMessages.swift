import Foundation

/// A message that arrived on a channel, normalized by the ingress. Ingress → router.
public struct InboundMessage: MessagePayload, Equatable {
    public static let kind = MessageKind.inboundMessage

    public var channel: Channel
    /// The configured endpoint the traffic arrived at.
    public var endpoint: String
    /// The agent the caller asked for, when the channel lets callers name one.
    public var agent: String?
    public var sender: String
    public var text: String
    /// The caller's conversation key; the router derives the session from it.
    public var sessionKey: String?
    /// The transport's own message id, used for inbound deduplication.
    public var externalMessageId: String?
    /// The ingress instance holding a waiting caller, so the reply goes back to it.
    public var replyTo: String?
    public var receivedAt: Date
    /// Files that came with the message (described, not carried).
    public var attachments: [Attachment]?
    /// What the channel needs to answer in the same place: a Slack thread, an e-mail's
    /// threading headers, the number that was written to. Opaque to everyone but the ingress.
    public var replyContext: [String: String]?
    /// The caller reads the answer as it is written (SSE), so the model's text is streamed.
    public var streamReply: Bool?
    /// Who is asking, when the channel authenticated more than the sender (the API key used);
    /// permissions are resolved for it instead of the sender.
    public var principal: String?
    /// An OpenAI-style caller's instructions and earlier messages; the router decides whether
    /// they or the session's memory make the history.
    public var conversation: CallerConversation?

    public init(
        channel: Channel, endpoint: String, agent: String?, sender: String, text: String, sessionKey: String?,
        externalMessageId: String?, replyTo: String?, receivedAt: Date = Date(), attachments: [Attachment]? = nil,
        replyContext: [String: String]? = nil, streamReply: Bool? = nil, principal: String? = nil,
        conversation: CallerConversation? = nil
    ) {
        self.conversation = conversation
        self.channel = channel
        self.endpoint = endpoint
        self.agent = agent
        self.sender = sender
        self.text = text
        self.sessionKey = sessionKey
        self.externalMessageId = externalMessageId
        self.replyTo = replyTo
        self.receivedAt = receivedAt
        self.attachments = attachments
        self.replyContext = replyContext
        self.streamReply = streamReply
        self.principal = principal
    }
}

/// Work for the orchestrator: run this agent on this turn. Router → orchestrator.
public struct ExecutionRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.executionRequest

    public var executionId: String
    public var agent: String
    public var sessionId: String
    public var turnId: String
    public var channel: Channel
    public var endpoint: String
    public var inboundMessageId: String
    public var sender: String
    public var text: String
    public var replyTo: String?
    /// Stream the model's text into the execution's events as it is written.
    public var streamReply: Bool?
    /// The authenticated identity permissions are resolved for, when it is not the sender.
    public var principal: String?
    /// The caller's own instructions, and its earlier messages when they (not the session's
    /// memory) are the conversation.
    public var conversation: CallerConversation?

    public init(
        executionId: String, agent: String, sessionId: String, turnId: String, channel: Channel, endpoint: String,
        inboundMessageId: String, sender: String, text: String, replyTo: String?, streamReply: Bool? = nil, principal: String? = nil,
        conversation: CallerConversation? = nil
    ) {
        self.conversation = conversation
        self.executionId = executionId
        self.agent = agent
        self.sessionId = sessionId
        self.turnId = turnId
        self.channel = channel
        self.endpoint = endpoint
        self.inboundMessageId = inboundMessageId
        self.sender = sender
        self.text = text
        self.replyTo = replyTo
        self.streamReply = streamReply
        self.principal = principal
    }
}

/// The outcome of an execution on its way back to the channel. Orchestrator → router → ingress.
public struct OutboundMessage: MessagePayload, Equatable {
    public static let kind = MessageKind.outboundMessage

    public var executionId: String
    public var sessionId: String
    public var inReplyTo: String
    public var channel: Channel
    public var endpoint: String
    public var recipient: String
    public var text: String
    public var status: AgentExecution.Status
    public var error: ExecutionError?
    public var replyTo: String?
    /// Filled in by the router from the inbound message this answers.
    public var replyContext: [String: String]?
    /// Set by the router when the endpoint's delivery policy holds the reply back (`draft`,
    /// `suppressed`): a waiting caller learns the outcome without the text.
    public var deliveryStatus: InteractionMessage.DeliveryStatus?
    /// The tokens the execution took, for callers that report them (OpenAI's `usage`).
    public var usage: TokenUsage?

    public init(
        executionId: String, sessionId: String, inReplyTo: String, channel: Channel, endpoint: String, recipient: String,
        text: String, status: AgentExecution.Status, error: ExecutionError?, replyTo: String?,
        replyContext: [String: String]? = nil, deliveryStatus: InteractionMessage.DeliveryStatus? = nil,
        usage: TokenUsage? = nil
    ) {
        self.usage = usage
        self.executionId = executionId
        self.sessionId = sessionId
        self.inReplyTo = inReplyTo
        self.channel = channel
        self.endpoint = endpoint
        self.recipient = recipient
        self.text = text
        self.status = status
        self.error = error
        self.replyTo = replyTo
        self.replyContext = replyContext
        self.deliveryStatus = deliveryStatus
    }
}
