import LoomConfig
import LoomContract

extension ToolInvoker {
    /// An agent used as a capability: a child execution on the arguments, whose output is the
    /// tool result. The child's id comes from the call's key, so a re-driven parent finds it.
    ///
    /// The child masks at least as strictly as this agent and in this session's vault scope, and
    /// its input is masked again before it is handed over: what were tokens for the parent are
    /// the same tokens for the child, so no original reaches the child's provider (or its
    /// recorded history), whatever the child's own preset would find.
    func runAgent(
        _ capability: CapabilityDefinition, arguments: JSONValue, key: String, label: String, context: Context
    ) async throws -> ToolCallResult {
        let agent = capability.backend["agent"]?.stringValue ?? ""
        let checked: JSONValue
        switch JSONSchema(capability.parameters).validate(arguments) {
        case .success(let value): checked = value
        case .failure(let violations):
            return .failure(
                "invalid_arguments", violations.description,
                guidance: "call the tool again with arguments that match its parameters")
        }
        let executionId = context.request.executionId
        let input = try await LeafMasking(node: node, callTimeout: callTimeout).mask(
            checked, scope: context.request.sessionId, agent: context.agent,
            requestId: "\(executionId):agent-input:\(label)", correlation: context.correlation, records: records)
        let request = DirectRunRequest(
            agent: agent, input: input, idempotencyKey: key,
            maskingFloor: context.agent.trust.masking == .off ? nil : context.agent.trust.masking.rawValue)
        let parent = DirectRunner.Parent(executionId: executionId, sessionId: context.request.sessionId)
        let outcome = await runChild(request, parent)
        guard let result = outcome as? DirectRunResult else {
            let failure = outcome as? Failure
            return .failure(
                failure?.code ?? "child_failed", failure?.message ?? "the agent could not run",
                retryable: failure?.retryable ?? false)
        }
        guard result.status == .completed, let output = result.output else {
            return .failure(
                result.error?.code.lowercased() ?? "child_failed", result.error?.message ?? "the agent did not finish",
                guidance: "answer without this tool or try different input")
        }
        return ToolCallResult(
            success: true, result: .object(["executionId": .string(result.executionId), "output": output]))
    }
}
