import Foundation

/// Something observable that happened to an execution, numbered in order per execution so a
/// client can resume a stream after the last number it saw.
public struct ExecutionEvent: Sendable, Codable, Equatable {
    public enum EventType: String, Sendable, Codable, CaseIterable { case status, delta, reply }

    public var executionId: String
    public var sequence: Int
    public var type: EventType
    /// For `status`: the new status.
    public var status: AgentExecution.Status?
    /// For `delta` and `reply`: text.
    public var text: String?
    public var createdAt: Date

    public init(
        executionId: String, sequence: Int, type: EventType, status: AgentExecution.Status? = nil, text: String? = nil,
        createdAt: Date = Date()
    ) {
        self.executionId = executionId
        self.sequence = sequence
        self.type = type
        self.status = status
        self.text = text
        self.createdAt = createdAt
    }
}

/// Events after `afterSequence`; the orchestrator holds the call up to `waitMilliseconds`
/// when there are none yet (long poll).
public struct ExecutionEventsQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.executionEventsQuery
    public var executionId: String
    public var afterSequence: Int
    public var waitMilliseconds: Int
    public init(executionId: String, afterSequence: Int, waitMilliseconds: Int) {
        self.executionId = executionId
        self.afterSequence = afterSequence
        self.waitMilliseconds = waitMilliseconds
    }
}

public struct ExecutionEventsResult: MessagePayload, Equatable {
    public static let kind = MessageKind.executionEventsResult
    /// Nil when no such execution exists.
    public var status: AgentExecution.Status?
    public var events: [ExecutionEvent]
    /// The number of the execution's latest event, whatever the reader asked for.
    public var lastSequence: Int
    /// Who started the execution over HTTP (`token:<name>`, `key:…`); nil when no one did.
    public var principal: String?
    public init(status: AgentExecution.Status?, events: [ExecutionEvent], lastSequence: Int, principal: String? = nil) {
        self.status = status
        self.events = events
        self.lastSequence = lastSequence
        self.principal = principal
    }
}
