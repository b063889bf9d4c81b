import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract

/// Carries out the calls a decision core asks for: the only place a turn's I/O happens. Each call
/// goes out under its own id, so the callee answers a resend from its reply cache; whatever
/// happens becomes a ``CallOutcome``, a failure included, and never an error the loop must unwind.
struct CallPerformer: Sendable {
    let services: ExecutionServices
    let subject: Subject

    /// Whom the calls are for.
    struct Subject: Sendable {
        var executionId: String
        var agent: AgentDefinition
        /// The turn's request; nil for a direct run.
        var request: ExecutionRequest?
        /// The masking scope: the session, or a direct run's own execution.
        var scope: String
        var correlation: Correlation
        var traceparent: String?
        var offered: [String: CapabilityDefinition]
    }

    func perform(_ call: ExecutionCall, known: [String: RecordedOutcome]) async -> RecordedOutcome {
        let started = services.now()
        let outcome: CallOutcome
        do {
            outcome = try await answer(call, known: known)
        } catch let failure as Failure {
            outcome = .failed(CallFailure(code: failure.code, message: failure.message, retryable: failure.retryable))
        } catch let error as BusError {
            outcome = .failed(CallFailure(code: "dependency_unavailable", message: "\(error)", retryable: true))
        } catch let unavailable as ContextAssembler.Unavailable {
            outcome = .failed(CallFailure(code: "context_unavailable", message: unavailable.description, retryable: false))
        } catch let error as DatabaseError {
            outcome = .failed(CallFailure(code: "store_unavailable", message: "\(error)", retryable: true))
        } catch is CancellationError {
            outcome = .failed(CallFailure(code: "cancelled", message: "the orchestrator is stopping", retryable: true))
        } catch {
            outcome = .failed(CallFailure(code: "internal", message: "\(error)", retryable: false))
        }
        return RecordedOutcome(outcome: outcome, startedAt: started, finishedAt: services.now())
    }

    private var node: BusNode { services.node }
    private var timeout: Duration { services.callTimeout }

    private func answer(_ call: ExecutionCall, known: [String: RecordedOutcome]) async throws -> CallOutcome {
        let id = call.id
        switch call.request {
        case .grants(let query):
            return .grants(try await node.call(
                query, to: .peer("trust"), expecting: PrincipalGrants.self, requestId: id, correlation: subject.correlation,
                timeout: timeout, attempts: 3))
        case .maskTurn(let text, let preset):
            let result = try await node.call(
                MaskRequest(scope: subject.scope, preset: preset, texts: [text], region: subject.agent.trust.region), to: .peer("trust"), expecting: MaskResult.self,
                requestId: id, correlation: subject.correlation, timeout: timeout, attempts: 3)
            guard let masked = result.texts.first else { throw Failure(code: "trust_protocol", message: "mask result had no text") }
            return .masked(masked)
        case .maskTexts(let texts, let preset):
            let result = try await node.call(
                MaskRequest(scope: subject.scope, preset: preset, texts: texts, region: subject.agent.trust.region), to: .peer("trust"), expecting: MaskResult.self,
                requestId: id, correlation: subject.correlation, timeout: timeout, attempts: 3)
            guard result.texts.count == texts.count else {
                throw Failure(code: "trust_protocol", message: "mask result had \(result.texts.count) of \(texts.count) texts")
            }
            return .maskedTexts(result.texts)
        case .turnStart:
            return .turnStart(try await services.database.turnStart(of: try turnRequest(), at: services.now()))
        case .clock:
            return .done
        case .screenInbound(let text):
            return .assessment(try await PromptScreen(node: node, callTimeout: timeout)
                .assessInbound(text, agent: subject.agent, request: try turnRequest(), correlation: subject.correlation))
        case .context(let earlierTexts):
            return .context(try await ContextAssembler(node: node, callTimeout: timeout, records: services.metadata.records)
                .assemble(subject.agent, request: try turnRequest(), earlierTexts: earlierTexts))
        case .summary:
            return .summary(try await services.summarizer.summary(of: try turnRequest().sessionId))
        case .complete(let completion):
            return .completion(try await complete(completion, requestId: id))
        case .approval(let toolCall, let round):
            let request = try turnRequest()
            return .approval(try await gate.openApproval(
                toolCall, round: round, request: request, principal: principal(known), correlation: subject.correlation))
        case .ask(let toolCall, let messages):
            guard let capability = subject.offered[toolCall.name] else {
                throw Failure(code: "unknown_tool", message: "no capability '\(toolCall.name)'")
            }
            return .question(try await gate.ask(toolCall, capability: capability, messages: messages, request: try turnRequest()))
        case .answerConfirmation(let confirmationId, let confirmed):
            try await gate.answer(confirmationId, confirmed: confirmed, by: subject.executionId)
            return .done
        case .invoke(let invocation):
            let context = ToolInvoker.Context(
                request: try turnRequest(), agent: subject.agent, offered: subject.offered, correlation: subject.correlation,
                permissions: PermissionGuard(grants: try grants(known)))
            return .tool(try await services.toolInvoker.invoke(invocation, context: context))
        case .wait(let milliseconds):
            try await services.sleep(.milliseconds(milliseconds))
            return .waited
        case .unmask(let text):
            // The answer holds no token: unmasking would give it back unchanged.
            guard MaskTokenShape.mayAppear(in: text) else { return .unmasked(text) }
            let result = try await node.call(
                UnmaskRequest(scope: subject.scope, texts: [text]), to: .peer("trust"), expecting: UnmaskResult.self,
                requestId: id, correlation: subject.correlation, timeout: timeout, attempts: 3)
            return .unmasked(result.texts.first ?? text)
        case .audit(let entry):
            try await AuditTrail(node: node, callTimeout: timeout).append(
                entry.action, subject: entry.subject, detail: entry.detail, executionId: subject.executionId, key: entry.key,
                correlation: subject.correlation)
            return .done
        case .maskInput(let value):
            return .value(try await LeafMasking(node: node, callTimeout: timeout).mask(
                value, scope: subject.scope, agent: subject.agent, requestId: id, correlation: subject.correlation))
        case .unmaskOutput(let value):
            return .value(try await LeafMasking(node: node, callTimeout: timeout).unmask(
                value, scope: subject.scope, agent: subject.agent, requestId: id, correlation: subject.correlation))
        }
    }

    private var gate: HumanGate { HumanGate(node: node, database: services.database, callTimeout: timeout) }

    private func turnRequest() throws -> ExecutionRequest {
        guard let request = subject.request else {
            throw Failure(code: "internal", message: "a direct run made a call only a conversational turn makes")
        }
        return request
    }

    private func grants(_ known: [String: RecordedOutcome]) throws -> PrincipalGrants {
        guard case .grants(let grants)? = known["\(subject.executionId):grants"]?.outcome else {
            throw Failure(code: "internal", message: "a tool call came before the principal's grants")
        }
        return grants
    }

    private func principal(_ known: [String: RecordedOutcome]) throws -> String { try grants(known).principal }

    /// Asks the gateway; when the caller streams, the answer's text goes into the execution's
    /// events while it is written.
    private func complete(_ completion: CompletionRequest, requestId: String) async throws -> CompletionResult {
        let agent = subject.agent
        let unmask: AnswerStreams.Unmask = { [node, timeout, subject] text in
            guard agent.trust.masking != .off, MaskTokenShape.mayAppear(in: text) else { return text }
            return try await node.call(
                UnmaskRequest(scope: subject.scope, texts: [text]), to: .peer("trust"), expecting: UnmaskResult.self,
                correlation: subject.correlation, timeout: timeout, attempts: 2
            ).texts.first ?? text
        }
        let writer = completion.streamExecutionId.map { executionId in
            services.answerStreams.start(requestId: requestId, executionId: executionId, unmask: unmask)
        }
        do {
            let result = try await node.call(
                completion, to: .peer("gateway"), expecting: CompletionResult.self, requestId: requestId,
                correlation: subject.correlation, traceparent: subject.traceparent,
                timeout: services.metadata.completionBudget(provider: completion.provider), attempts: 2)
            if let writer {
                await services.answerStreams.finish(requestId: requestId, writer, answer: result.text, unmask: unmask)
            }
            return result
        } catch {
            if let writer { await services.answerStreams.finish(requestId: requestId, writer) }
            throw error
        }
    }
}
