import Foundation
import LoomConfig
import LoomContract

/// Runs the tool calls of one model response: refuses what the principal's roles or the tool
/// flow do not allow, passes the rest through their human gates, runs what may run
/// concurrently, and returns the results in call order.
///
/// Throws ``HumanGate/ConfirmationAsked`` when a call needs the user's confirmation (nothing
/// of that response runs; the next turn picks it up) and ``HumanGate/Paused`` when a call
/// waits for approval (the others have run, and will replay from their stored answers).
struct CallRunner: Sendable {
    let invoker: ToolInvoker
    let context: ToolInvoker.Context
    let gate: HumanGate
    let offered: [String: CapabilityDefinition]
    let permissions: PermissionGuard
    let record: @Sendable (ExecutionStep) async throws -> Void

    /// Step numbers of approval notes, apart from the turn's own.
    static let approvalSequence = 897_000

    /// - Parameters:
    ///   - conversation: the messages so far, ending with the assistant message that made these calls.
    ///   - answering: the call a confirmation question was about, and the user's answer.
    func run(
        _ calls: [ToolCall], base: Int, flow: inout ToolFlowState, conversation: [ChatMessage], answering: (callId: String, answer: HumanGate.Answer)?
    ) async throws -> [ChatMessage] {
        var planned = flow
        let refusals = calls.map { call -> ToolInvoker.Refusal? in
            if let capability = offered[call.name], let denied = permissions.refusal(call.name, capability: capability, arguments: call.arguments) {
                return denied
            }
            guard offered[call.name] != nil, let reason = planned.refusal(for: call.name, among: offered.keys) else {
                planned.chose(call.name)
                return nil
            }
            return ToolInvoker.Refusal(
                code: "tool_not_available", reason: reason,
                guidance: "use one of: \(planned.eligible(among: offered.keys).sorted().joined(separator: ", "))", policy: "tool-flow")
        }
        var decisions: [HumanGate.Decision] = []
        for (index, call) in calls.enumerated() {
            guard refusals[index] == nil, let capability = offered[call.name] else {
                decisions.append(.run(call))
                continue
            }
            if let answering, answering.callId == call.id, answering.answer != .yes {
                decisions.append(.result(.failure(
                    "declined", answering.answer == .no ? "the user declined this action" : "the user did not confirm this action",
                    guidance: "do not do it; answer the user's latest message instead")))
                continue
            }
            let confirmed = answering?.callId == call.id
            decisions.append(try await gate.decide(
                call, capability: capability, confirmed: confirmed, request: context.request, principal: permissions.grants.principal,
                correlation: context.correlation))
        }
        if let index = decisions.firstIndex(where: { if case .confirm = $0 { true } else { false } }), let capability = offered[calls[index].name] {
            throw HumanGate.ConfirmationAsked(question: try await gate.ask(calls[index], capability: capability, messages: conversation, request: context.request))
        }
        let results = try await withThrowingTaskGroup(of: (Int, ChatMessage?, Bool, String?).self) { group in
            for (index, call) in calls.enumerated() {
                let sequence = base + 2 * index
                let decision = decisions[index]
                let refusal = refusals[index]
                group.addTask {
                    switch decision {
                    case .waiting(let approvalId):
                        try await record(ExecutionStep(
                            executionId: context.request.executionId, sequence: Self.approvalSequence + sequence, type: .approvalRequested,
                            content: "approval \(approvalId) requested for \(call.name) \(call.arguments.compactJSON)", capability: call.name,
                            startedAt: Date(), durationMs: 0))
                        return (index, nil, false, approvalId)
                    case .result(let preset):
                        let outcome = try await invoker.invoke(call, sequence: sequence, context: context, preset: preset)
                        return (index, outcome.message, outcome.succeeded, nil)
                    case .run(let runnable):
                        let outcome = try await invoker.invoke(runnable, sequence: sequence, context: context, refusal: refusal)
                        return (index, outcome.message, outcome.succeeded, nil)
                    case .confirm:
                        return (index, nil, false, nil)
                    }
                }
            }
            return try await group.reduce(into: [(Int, ChatMessage?, Bool, String?)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }
        }
        let waiting = results.compactMap(\.3)
        if !waiting.isEmpty { throw HumanGate.Paused(approvalIds: waiting) }
        for (index, _, succeeded, _) in results where succeeded { flow.succeeded(calls[index].name) }
        return results.compactMap(\.1)
    }
}
