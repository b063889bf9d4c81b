import Foundation

/// The one message shape every bus hop carries.
///
/// Ids are opaque strings. Ids of derived messages are computed from their parent's id so a
/// service that reprocesses a message after a crash produces the same ids, and the next hop's
/// deduplication absorbs the repeat.
public struct Envelope: Sendable {
    public var id: String
    public var contractVersion: ContractVersion
    /// Key the receiver deduplicates on; defaults to the id.
    public var idempotencyKey: String
    public var correlation: Correlation
    /// W3C trace context (`00-<trace-id>-<span-id>-<flags>`).
    public var traceparent: String
    public var createdAt: Date
    /// After this instant nobody waits for the outcome any more.
    public var deadline: Date?
    public var body: any MessagePayload

    public var kind: MessageKind { type(of: body).kind }

    public init(
        id: String,
        idempotencyKey: String? = nil,
        correlation: Correlation = Correlation(),
        traceparent: String = TraceParent.random().description,
        createdAt: Date = Date(),
        deadline: Date? = nil,
        contractVersion: ContractVersion = .current,
        body: any MessagePayload
    ) {
        self.id = id
        self.contractVersion = contractVersion
        self.idempotencyKey = idempotencyKey ?? id
        self.correlation = correlation
        self.traceparent = traceparent
        self.createdAt = createdAt
        self.deadline = deadline
        self.body = body
    }

    /// The body as the given payload type, or nil when the envelope carries something else.
    public func payload<P: MessagePayload>(_ type: P.Type) -> P? { body as? P }

    /// A reply or derived message that keeps this envelope's correlation and trace.
    public func derived(id: String, body: any MessagePayload, deadline: Date? = nil) -> Envelope {
        Envelope(
            id: id, correlation: correlation, traceparent: traceparent, createdAt: Date(),
            deadline: deadline ?? self.deadline, body: body)
    }
}

/// The ids that tie a message to the session, execution and turn it belongs to.
public struct Correlation: Sendable, Hashable, Codable {
    public var sessionId: String?
    public var executionId: String?
    public var turnId: String?

    public init(sessionId: String? = nil, executionId: String? = nil, turnId: String? = nil) {
        self.sessionId = sessionId
        self.executionId = executionId
        self.turnId = turnId
    }
}
