import Foundation

/// Is the service up, and what has it counted?
public struct HealthQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.healthQuery
    public init() {}
}

public struct HealthResult: MessagePayload, Equatable {
    public static let kind = MessageKind.healthResult
    public var service: String
    public var instance: String
    /// The answering process, so a supervisor can tell a fresh process from a stale one.
    public var processId: Int32
    public var counters: [String: Int]

    public init(service: String, instance: String, processId: Int32 = ProcessIdentity.current, counters: [String: Int]) {
        self.service = service
        self.instance = instance
        self.processId = processId
        self.counters = counters
    }
}

/// The current process id, without importing a C library into the contract.
public enum ProcessIdentity {
    public static let current = Int32(ProcessInfo.processInfo.processIdentifier)
}

/// An execution and its steps, for `loom trace`.
public struct TraceQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.traceQuery
    public var executionId: String
    public init(executionId: String) { self.executionId = executionId }
}

public struct TraceResult: MessagePayload, Equatable {
    public static let kind = MessageKind.traceResult
    public var execution: AgentExecution?
    public var steps: [ExecutionStep]
    /// Executions started by this one's tool calls (agents used as capabilities).
    public var children: [AgentExecution]?

    public init(execution: AgentExecution?, steps: [ExecutionStep], children: [AgentExecution]? = nil) {
        self.execution = execution
        self.steps = steps
        self.children = children
    }
}

public struct SessionListQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.sessionListQuery
    public var limit: Int
    public init(limit: Int = 50) { self.limit = limit }
}

public struct SessionListResult: MessagePayload, Equatable {
    public static let kind = MessageKind.sessionListResult
    public var sessions: [InteractionSession]
    public init(sessions: [InteractionSession]) { self.sessions = sessions }
}

public struct SessionShowQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.sessionShowQuery
    public var sessionId: String
    public init(sessionId: String) { self.sessionId = sessionId }
}

public struct SessionShowResult: MessagePayload, Equatable {
    public static let kind = MessageKind.sessionShowResult
    public var session: InteractionSession?
    public var messages: [InteractionMessage]

    public init(session: InteractionSession?, messages: [InteractionMessage]) {
        self.session = session
        self.messages = messages
    }
}

/// What the scripted provider received, so tests can check what a provider would have seen.
public struct ProviderLogQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.providerLogQuery
    public var limit: Int
    public init(limit: Int = 100) { self.limit = limit }
}

public struct ProviderLogResult: MessagePayload, Equatable {
    public static let kind = MessageKind.providerLogResult
    public var requests: [CompletionRequest]
    public init(requests: [CompletionRequest]) { self.requests = requests }
}

/// A request that could not be served, with a code a program can branch on.
public struct Failure: MessagePayload, Equatable, Error {
    public static let kind = MessageKind.failure
    public var code: String
    public var message: String
    /// Whether repeating the same request may succeed.
    public var retryable: Bool

    public init(code: String, message: String, retryable: Bool = false) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }
}

extension Failure: CustomStringConvertible {
    /// `code: message`, as the CLI prints a refused request.
    public var description: String { "\(code): \(message)" }
}

/// Cancel an execution: it stops at its next safe point (before the next model call, before
/// answering), and nothing after that point runs. Cancelling a finished one changes nothing.
public struct ExecutionCancelRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.executionCancelRequest
    public var executionId: String
    /// Who cancelled, recorded with the execution's error.
    public var actor: String
    public init(executionId: String, actor: String) {
        self.executionId = executionId
        self.actor = actor
    }
}

public struct ExecutionCancelResult: MessagePayload, Equatable {
    public static let kind = MessageKind.executionCancelResult
    public var status: AgentExecution.Status
    public var changed: Bool
    public init(status: AgentExecution.Status, changed: Bool) {
        self.status = status
        self.changed = changed
    }
}
