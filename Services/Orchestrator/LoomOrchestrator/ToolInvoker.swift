import Foundation
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// Carries out one ``ToolInvocation`` and turns its outcome into what the model gets back.
/// Nothing here fails the turn: an unknown tool, arguments the schema rejects, a tool error or an
/// unreachable tools service all become a structured result (`success`, `code`, `error`,
/// `retryable`, `guidance`), and a retryable one is marked so the core can try again first.
///
/// Arguments arrive masked (the model only saw tokens) and are unmasked by the trust layer just
/// for the call; the result is masked before the model sees it. Side effects carry the
/// invocation's idempotency key, the same on every attempt, so the effect happens at most once.
struct ToolInvoker: Sendable {
    let node: BusNode
    let callTimeout: Duration
    /// The record schema, for masking sensitive fields in results.
    let records: RecordStoreSeed
    /// Runs a child execution of a `direct` agent for an `agent` capability.
    let runChild: @Sendable (_ request: DirectRunRequest, _ parent: DirectRunner.Parent) async -> any MessagePayload

    struct Context: Sendable {
        var request: ExecutionRequest
        var agent: AgentDefinition
        var offered: [String: CapabilityDefinition]
        var correlation: Correlation
        /// The principal's grants: results keep only the fields it may read.
        var permissions: PermissionGuard
    }

    func invoke(_ invocation: ToolInvocation, context: Context) async throws -> ToolOutcome {
        let call = invocation.call
        // Every call of a later attempt has its own request id: the callees remember answers by id.
        let label = "\(invocation.sequence)" + (invocation.attempt > 1 ? "#\(invocation.attempt)" : "")
        let raw: ToolCallResult
        if let refusal = invocation.refusal {
            try await refuse(call, refusal, sequence: invocation.sequence, context: context)
            raw = .failure(refusal.code, refusal.reason, guidance: refusal.guidance)
        } else if let preset = invocation.preset {
            raw = preset
        } else {
            raw = await run(invocation, label: label, context: context)
        }
        let masked = try await mask(ToolResultJSON.encode(raw), label: label, context: context)
        var content = TraceText.json(masked)
        var note: String?
        // A result carrying instructions for the model is data from outside; the preset says
        // whether the model still reads it.
        if let assessment = try await PromptScreen(node: node, callTimeout: callTimeout).assessToolResult(
            content, capability: call.name, sequence: invocation.sequence, agent: context.agent, request: context.request,
            correlation: context.correlation)
        {
            note = assessment.note
            if assessment.blocks {
                content = TraceText.json(ToolResultJSON.encode(.failure(
                    "unsafe_content", "the tool's result was withheld because it contained instructions aimed at the assistant",
                    guidance: "answer without this result, and tell the user it could not be used")))
            }
        }
        return ToolOutcome(
            content: content, succeeded: raw.success, retryable: !raw.success && raw.retryable, code: raw.code, safetyNote: note)
    }

    private func refuse(_ call: ToolCall, _ refusal: ToolRefusal, sequence: Int, context: Context) async throws {
        try await AuditTrail(node: node, callTimeout: callTimeout).append(
            refusal.policy == "permission" ? "permission" : "policy", subject: "\(refusal.policy):\(call.name)",
            detail: ["decision": "refused", "code": refusal.code, "reason": refusal.reason, "agent": context.request.agent,
                     "principal": context.permissions.grants.principal],
            executionId: context.request.executionId, key: "refusal:\(sequence)", correlation: context.correlation)
    }

    /// Long enough for the tool's own time limit plus a margin: a shorter wait would send the
    /// call again while it still runs.
    static func timeout(for capability: CapabilityDefinition, base: Duration) -> Duration {
        let seconds: Double?
        if capability.type == .command {
            seconds = (try? CommandBackend(backend: capability.backend))?.limits.wallSeconds
        } else if case .number(let value)? = capability.backend["timeoutSeconds"] {
            seconds = value
        } else {
            seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds > 0 else { return base }
        return max(base, .milliseconds(Int(min(seconds + 5, 86_400) * 1000)))
    }

    private func run(_ invocation: ToolInvocation, label: String, context: Context) async -> ToolCallResult {
        let call = invocation.call
        let executionId = context.request.executionId
        guard let capability = context.offered[call.name] else {
            return .failure(
                "unknown_tool", "there is no tool named '\(call.name)'",
                guidance: "use one of: \(context.offered.keys.sorted().joined(separator: ", "))")
        }
        do {
            let arguments = try await unmask(call.arguments, label: label, context: context)
            if capability.type == .agent {
                return try await runAgent(
                    capability, arguments: arguments, key: invocation.idempotencyKey, label: label, context: context)
            }
            let result = try await node.call(
                ToolCallRequest(
                    capability: call.name, arguments: arguments, idempotencyKey: invocation.idempotencyKey, executionId: executionId),
                to: .peer("tools"), expecting: ToolCallResult.self, requestId: "\(executionId):tool:\(label)",
                correlation: context.correlation, timeout: Self.timeout(for: capability, base: callTimeout), attempts: 3)
            var stripped = result
            stripped.result = result.result.map(context.permissions.strip)
            return stripped
        } catch let failure as Failure {
            return .failure(failure.code, failure.message, retryable: failure.retryable)
        } catch {
            return .failure(
                "tool_unavailable", "the tool could not be reached: \(error)", retryable: true,
                guidance: "try again later or answer without it")
        }
    }

    private func unmask(_ arguments: JSONValue, label: String, context: Context) async throws -> JSONValue {
        try await LeafMasking(node: node, callTimeout: callTimeout).unmask(
            arguments, scope: context.request.sessionId, agent: context.agent,
            requestId: "\(context.request.executionId):tool-args:\(label)", correlation: context.correlation)
    }

    private func mask(_ outcome: JSONValue, label: String, context: Context) async throws -> JSONValue {
        try await LeafMasking(node: node, callTimeout: callTimeout).mask(
            outcome, scope: context.request.sessionId, agent: context.agent,
            requestId: "\(context.request.executionId):tool-result:\(label)", correlation: context.correlation, records: records)
    }
}
