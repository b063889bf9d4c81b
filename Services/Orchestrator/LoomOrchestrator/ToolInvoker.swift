import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// Runs one tool call the model asked for and turns its outcome into the tool message the
/// model gets back. Nothing here fails the turn: an unknown tool, arguments the schema
/// rejects, a tool error or an unreachable tools service all become a structured result
/// (`success`, `code`, `error`, `retryable`, `guidance`) for the model to act on.
///
/// Arguments arrive masked (the model only saw tokens) and are unmasked by the trust layer just
/// for the call; the result is masked before it is recorded or shown to the model. Every call
/// has an id derived from the execution and the step, and side effects carry the idempotency
/// key `execution:step:callId`, so re-driving after a crash repeats nothing.
struct ToolInvoker: Sendable {
    let node: BusNode
    let record: @Sendable (ExecutionStep) async throws -> Void
    let callTimeout: Duration
    /// The record schema, for masking sensitive fields in results.
    let records: RecordStoreSeed
    /// Runs a child execution of a `direct` agent for an `agent` capability.
    let runChild: @Sendable (_ request: DirectRunRequest, _ parent: String) async -> any MessagePayload

    struct Context: Sendable {
        var request: ExecutionRequest
        var agent: AgentDefinition
        var offered: [String: CapabilityDefinition]
        var correlation: Correlation
        /// The principal's grants: results keep only the fields it may read.
        var permissions: PermissionGuard
    }

    /// Why a call may not run (the flow or the principal's permissions); it goes back to the
    /// model as a tool error, on the trace as a policy decision and into the audit log.
    struct Refusal: Sendable {
        var code: String
        var reason: String
        var guidance: String
        /// The audit entry's subject, e.g. `tool-flow` or `permission`.
        var policy: String
    }

    /// The result message and whether the tool succeeded.
    /// - Parameter preset: the result to record instead of running the call (a declined
    ///   confirmation, a rejected or expired approval).
    func invoke(
        _ call: ToolCall, sequence: Int, context: Context, refusal: Refusal? = nil, preset: ToolCallResult? = nil
    ) async throws -> (message: ChatMessage, succeeded: Bool) {
        let executionId = context.request.executionId
        let started = Date()
        try await record(
            ExecutionStep(
                executionId: executionId, sequence: sequence, type: .toolCall, content: Self.json(.object(["id": .string(call.id), "arguments": call.arguments])),
                capability: call.name, startedAt: started, durationMs: 0))
        let outcome: JSONValue
        if let refusal {
            try await refuse(call, refusal, sequence: sequence, context: context)
            outcome = Self.encode(.failure(refusal.code, refusal.reason, guidance: refusal.guidance))
        } else if let preset {
            outcome = Self.encode(preset)
        } else {
            outcome = await run(call, sequence: sequence, context: context)
        }
        let succeeded: Bool = if case .object(let fields) = outcome, fields["success"] == .bool(true) { true } else { false }
        let masked = try await mask(outcome, sequence: sequence, context: context)
        var content = Self.json(masked)
        // A result carrying instructions for the model is data from outside; the preset says
        // whether the model still reads it.
        if let assessment = try await PromptScreen(node: node, callTimeout: callTimeout).assessToolResult(
            content, capability: call.name, sequence: sequence, agent: context.agent, request: context.request, correlation: context.correlation)
        {
            try await record(
                ExecutionStep(
                    executionId: executionId, sequence: ExecutionDriver.Sequence.promptSafety + sequence, type: .policyDecision,
                    content: assessment.note, capability: call.name, startedAt: Date(), durationMs: 0))
            if assessment.blocks {
                content = Self.json(Self.encode(.failure(
                    "unsafe_content", "the tool's result was withheld because it contained instructions aimed at the assistant",
                    guidance: "answer without this result, and tell the user it could not be used")))
            }
        }
        try await record(
            ExecutionStep(
                executionId: executionId, sequence: sequence + 1, type: .toolResult, content: content, capability: call.name,
                startedAt: started, durationMs: Date().timeIntervalSince(started) * 1000))
        return (ChatMessage(role: .tool, content: content, toolCallId: call.id), succeeded)
    }

    /// Step numbers of refusals, apart from the turn's own.
    static let refusalSequence = 898_000

    private func refuse(_ call: ToolCall, _ refusal: Refusal, sequence: Int, context: Context) async throws {
        let executionId = context.request.executionId
        try await record(
            ExecutionStep(
                executionId: executionId, sequence: Self.refusalSequence + sequence, type: .policyDecision,
                content: "\(refusal.policy): refused \(call.name): \(refusal.reason)", capability: call.name, startedAt: Date(), durationMs: 0))
        try await AuditTrail(node: node, callTimeout: callTimeout).append(
            refusal.policy == "permission" ? "permission" : "policy", subject: "\(refusal.policy):\(call.name)",
            detail: ["decision": "refused", "code": refusal.code, "reason": refusal.reason, "agent": context.request.agent,
                     "principal": context.permissions.grants.principal],
            executionId: executionId, key: "refusal:\(sequence)", correlation: context.correlation)
    }

    private func run(_ call: ToolCall, sequence: Int, context: Context) async -> JSONValue {
        let executionId = context.request.executionId
        guard context.offered[call.name] != nil else {
            return Self.encode(
                .failure("unknown_tool", "there is no tool named '\(call.name)'", guidance: "use one of: \(context.offered.keys.sorted().joined(separator: ", "))"))
        }
        do {
            let arguments = try await unmask(call.arguments, sequence: sequence, context: context)
            if let capability = context.offered[call.name], capability.type == .agent {
                return await runAgent(capability, arguments: arguments, key: "\(executionId):\(sequence):\(call.id)", parent: executionId)
            }
            let result = try await node.call(
                ToolCallRequest(capability: call.name, arguments: arguments, idempotencyKey: "\(executionId):\(sequence):\(call.id)", executionId: executionId),
                to: .peer("tools"), expecting: ToolCallResult.self, requestId: "\(executionId):tool:\(sequence)", correlation: context.correlation,
                timeout: callTimeout, attempts: 3)
            return context.permissions.strip(Self.encode(result))
        } catch let failure as Failure {
            return Self.encode(.failure(failure.code, failure.message, retryable: failure.retryable))
        } catch {
            return Self.encode(.failure("tool_unavailable", "the tool could not be reached: \(error)", retryable: true, guidance: "try again later or answer without it"))
        }
    }

    /// An agent used as a capability: a child execution on the arguments, whose output is the
    /// tool result. The child's id comes from the call's key, so a re-driven parent finds it.
    private func runAgent(_ capability: CapabilityDefinition, arguments: JSONValue, key: String, parent: String) async -> JSONValue {
        let agent = capability.backend["agent"]?.stringValue ?? ""
        let input: JSONValue
        switch JSONSchema(capability.parameters).validate(arguments) {
        case .success(let checked): input = checked
        case .failure(let violations):
            return Self.encode(
                .failure("invalid_arguments", violations.description, guidance: "call the tool again with arguments that match its parameters"))
        }
        let outcome = await runChild(DirectRunRequest(agent: agent, input: input, idempotencyKey: key), parent)
        guard let result = outcome as? DirectRunResult else {
            let failure = outcome as? Failure
            return Self.encode(.failure(failure?.code ?? "child_failed", failure?.message ?? "the agent could not run"))
        }
        guard result.status == .completed, let output = result.output else {
            return Self.encode(
                .failure(
                    result.error?.code.lowercased() ?? "child_failed", result.error?.message ?? "the agent did not finish",
                    guidance: "answer without this tool or try different input"))
        }
        return Self.encode(ToolCallResult(success: true, result: .object(["executionId": .string(result.executionId), "output": output])))
    }

    private func unmask(_ arguments: JSONValue, sequence: Int, context: Context) async throws -> JSONValue {
        try await LeafMasking(node: node, callTimeout: callTimeout).unmask(
            arguments, scope: context.request.sessionId, agent: context.agent,
            requestId: "\(context.request.executionId):tool-args:\(sequence)", correlation: context.correlation)
    }

    private func mask(_ outcome: JSONValue, sequence: Int, context: Context) async throws -> JSONValue {
        try await LeafMasking(node: node, callTimeout: callTimeout).mask(
            outcome, scope: context.request.sessionId, agent: context.agent,
            requestId: "\(context.request.executionId):tool-result:\(sequence)", correlation: context.correlation, records: records)
    }

    static func encode(_ result: ToolCallResult) -> JSONValue {
        var fields: [String: JSONValue] = ["success": .bool(result.success)]
        if let value = result.result { fields["result"] = value }
        if let code = result.code { fields["code"] = .string(code) }
        if let error = result.error { fields["error"] = .string(error) }
        if !result.success { fields["retryable"] = .bool(result.retryable) }
        if let guidance = result.guidance { fields["guidance"] = .string(guidance) }
        return .object(fields)
    }

    static func json(_ value: JSONValue) -> String { value.compactJSON }
}
