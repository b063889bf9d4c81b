/// Run a `direct` agent on an input object and return its structured output. Ingress →
/// orchestrator, request/reply: no session, no conversation. The same idempotency key names
/// the same execution, so a retried request returns the first run's outcome.
public struct DirectRunRequest: MessagePayload, Equatable {
    public static let kind = MessageKind.directRunRequest
    public var agent: String
    public var input: JSONValue
    public var idempotencyKey: String
    /// The least strict masking the run may use (`standard` or `strict`): an execution that runs
    /// this agent as a tool passes its own, so a chain of agents never masks less further down.
    /// It can only make the run stricter than the agent's own preset.
    public var maskingFloor: String?

    public init(agent: String, input: JSONValue, idempotencyKey: String, maskingFloor: String? = nil) {
        self.agent = agent
        self.input = input
        self.idempotencyKey = idempotencyKey
        self.maskingFloor = maskingFloor
    }
}

public struct DirectRunResult: MessagePayload, Equatable {
    public static let kind = MessageKind.directRunResult
    public var executionId: String
    public var status: AgentExecution.Status
    /// The output, valid against the agent's output schema, when the run completed.
    public var output: JSONValue?
    public var error: ExecutionError?

    public init(executionId: String, status: AgentExecution.Status, output: JSONValue?, error: ExecutionError?) {
        self.executionId = executionId
        self.status = status
        self.output = output
        self.error = error
    }
}
