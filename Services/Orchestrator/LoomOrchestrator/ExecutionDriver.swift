import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import LoomStore
import Logging

/// Drives one execution from its request to its outbound message.
///
/// Every call it makes carries a request id derived from the execution and the step, and every
/// step is written under a fixed sequence number, so driving the same execution again after a
/// crash asks the same questions, gets the stored answers, and overwrites nothing differently.
struct ExecutionDriver: Sendable {
    let database: OrchestratorDatabase
    let metadata: LoomMetadata
    let node: BusNode
    let logger: Logger
    let callTimeout: Duration
    /// Called after a reply was queued in the outbox, so the relay sends it now.
    let outboxChanged: @Sendable () -> Void
    /// Called after an execution's events changed, so long-polling readers see them now.
    let eventsChanged: @Sendable (_ executionId: String) -> Void
    /// Runs a `direct` agent as a child execution (agent capabilities).
    let runChild: @Sendable (_ request: DirectRunRequest, _ parent: String) async -> any MessagePayload
    /// Turns streamed answer text into the execution's `delta` events.
    let answerStreams: AnswerStreams
    /// Keeps `summaryBuffer` sessions' summaries.
    let summarizer: SessionSummarizer

    /// Step numbers: the user turn is 1; each processing cycle then takes an `llmRequest` and
    /// an `llmResponse`, and two more (`toolCall`, `toolResult`) per tool call, in order; the
    /// answer follows the last cycle. The same execution driven again numbers its steps the
    /// same way, which is what makes its call ids repeatable.
    enum Sequence {
        static let userTurn = 1
        static let firstCycle = 2
        static let error = 999_999
        /// Notes on context blocks left out (`warn`), numbered apart from the turn's steps.
        static let contextWarnings = 900_000
        /// The prompt-safety assessment of the turn, when there is one to record.
        static let promptSafety = 899_000
        /// The answer to the previous turn's confirmation question.
        static let confirmation = 897_999
    }

    /// Tool calls taken from one model response; more are refused as a runaway.
    static let maxCallsPerResponse = 16

    struct Work: Sendable {
        var request: ExecutionRequest
        var envelope: Envelope
        /// Routing id of the router that handed the work over; the outbound message goes back there.
        var source: PeerAddress
        /// Earlier messages of the session this turn answers too (coalesced or superseded).
        var absorbing: [Work] = []
    }

    func drive(_ work: Work) async {
        let request = work.request
        guard let agent = metadata.agents[request.agent] else {
            await finish(work, failure: ExecutionError(code: "UNKNOWN_AGENT", message: "agent '\(request.agent)' is not configured"))
            return
        }
        let audit = AuditTrail(node: node, callTimeout: callTimeout)
        do {
            for earlier in work.absorbing { try await absorb(earlier, into: request.executionId, agent: agent) }
            try await markRunning(request.executionId)
            try await stopIfCancelled(request.executionId)
            // Who is asking decides what the agent may do for them; trust answers.
            let grants = try await node.call(
                PrincipalGrantsQuery(channel: request.channel.rawValue, endpoint: request.endpoint, sender: request.principal ?? request.sender),
                to: .peer("trust"),
                expecting: PrincipalGrants.self, requestId: "\(request.executionId):grants", correlation: work.envelope.correlation,
                timeout: callTimeout, attempts: 3)
            guard grants.allows(agent: request.agent) else {
                let reason = "\(grants.principal) (roles: \(grants.roles.joined(separator: ", "))) may not use the agent '\(request.agent)'"
                try await audit.append(
                    "permission", subject: "agent:\(request.agent)", detail: ["decision": "refused", "principal": grants.principal, "reason": reason],
                    executionId: request.executionId, key: "agent", correlation: work.envelope.correlation)
                await finish(
                    work, failure: ExecutionError(code: "PERMISSION_DENIED", message: reason),
                    reply: "Sorry, this assistant is not available to you.")
                return
            }
            let permissions = PermissionGuard(grants: grants)
            // Messages this turn answers together with its own, oldest first (already masked).
            let earlierTexts = try await database.store.read { db in
                try String.fetchAll(
                    db, sql: "SELECT trigger FROM execution WHERE absorbedBy = ? AND trigger != '' ORDER BY createdAt, rowid",
                    arguments: [request.executionId])
            }
            let masked = (earlierTexts + [try await mask(request, agent: agent)]).joined(separator: "\n\n")
            let userTurn = step(request, Sequence.userTurn, .userTurn, masked, started: Date(), durationMs: 0)
            try await database.store.write { db in
                try userTurn.upsert(db)
                try db.execute(sql: "UPDATE execution SET trigger = ? WHERE id = ?", arguments: [masked, request.executionId])
            }
            if let assessment = try await PromptScreen(node: node, callTimeout: callTimeout)
                .assessInbound(masked, agent: agent, request: request, correlation: work.envelope.correlation)
            {
                try await record(step(request, Sequence.promptSafety, .policyDecision, assessment.note, started: Date(), durationMs: 0))
                if assessment.blocks {
                    await finish(work, failure: ExecutionError(code: "PROMPT_BLOCKED", message: assessment.note), reply: PromptScreen.refusal)
                    return
                }
            }
            let history = try await history(of: request)
            let contextBlocks: ContextAssembler.Outcome
            do {
                contextBlocks = try await ContextAssembler(node: node, callTimeout: callTimeout, records: metadata.records)
                    .assemble(agent, request: request, earlierTexts: history.map(\.user))
            } catch let unavailable as ContextAssembler.Unavailable {
                throw Failure(code: "context_unavailable", message: unavailable.description)
            }
            for (index, warning) in contextBlocks.warnings.enumerated() {
                try await record(step(request, Sequence.contextWarnings + index, .policyDecision, warning, started: Date(), durationMs: 0))
            }
            let summary = agent.memory.strategy == .summaryBuffer ? try await summarizer.summary(of: request.sessionId) : nil
            var messages = PromptBuilder(agent: agent).messages(
                history: history, userText: masked, now: Date(), context: contextBlocks.blocks, summary: summary)
            let offered = offeredCapabilities(agent)
            var flow = ToolFlowState(flow: agent.toolFlow)
            let recordStep: @Sendable (ExecutionStep) async throws -> Void = { [database] step in
                try await database.store.write { db in try step.upsert(db) }
            }
            let invoker = ToolInvoker(node: node, record: recordStep, callTimeout: callTimeout, records: metadata.records, runChild: runChild)
            let context = ToolInvoker.Context(
                request: request, agent: agent, offered: offered, correlation: work.envelope.correlation, permissions: permissions)
            let calls = CallRunner(
                invoker: invoker, context: context, gate: HumanGate(node: node, database: database, callTimeout: callTimeout), offered: offered,
                permissions: permissions, record: recordStep)
            var sequence = Sequence.firstCycle
            var usage = TokenUsage()
            // A question the previous turn asked: this message answers it, and the conversation
            // goes on from where that turn stopped.
            if let pending = try await calls.gate.pendingConfirmation(for: request), let asked = pending.messages.last?.toolCalls, !asked.isEmpty {
                let answer = HumanGate.answer(request.text)
                try await calls.gate.markAnswered(pending, answer: answer, by: request.executionId)
                try await record(step(
                    request, Sequence.confirmation, .approvalDecided, "confirmation of \(pending.capability): \(answer.rawValue)", started: Date(),
                    durationMs: 0))
                try await audit.append(
                    "approval", subject: "confirmation:\(pending.capability)",
                    detail: ["answer": answer.rawValue, "askedBy": pending.executionId, "principal": grants.principal],
                    executionId: request.executionId, key: "confirmation", correlation: work.envelope.correlation)
                messages = pending.messages
                messages += try await calls.run(asked, base: sequence, flow: &flow, conversation: messages, answering: (pending.callId, answer))
                if answer == .other { messages.append(ChatMessage(role: .user, content: masked)) }
                sequence += 2 * asked.count
            }
            for _ in 0..<agent.maxProcessingCycles {
                try await stopIfCancelled(request.executionId)
                let started = Date()
                // Only what the flow and the principal's roles allow now is offered.
                let eligible = flow.eligible(among: offered.keys.filter { grants.allows(capability: $0) })
                let tools = offered.filter { eligible.contains($0.key) }.sorted { $0.key < $1.key }
                    .map { ToolSpec(name: $0.key, description: $0.value.description, parameters: HumanGate.parameters(of: $0.value)) }
                try await record(step(request, sequence, .llmRequest, Self.render(messages), started: started, durationMs: 0))
                let completion = try await complete(
                    CompletionRequest(
                        agent: request.agent, provider: agent.provider, model: agent.model, temperature: agent.temperature,
                        maxTokens: agent.maxTokens, messages: messages, tools: tools.isEmpty ? nil : tools,
                        streamExecutionId: request.streamReply == true ? request.executionId : nil),
                    work: work, agent: agent, requestId: "\(request.executionId):llm:\(sequence)")
                usage = usage + completion.usage
                let requested = Array((completion.toolCalls ?? []).prefix(Self.maxCallsPerResponse))
                try await record(
                    step(
                        request, sequence + 1, .llmResponse,
                        requested.isEmpty ? completion.text : ToolInvoker.json(.array(requested.map(Self.describe))), started: started,
                        durationMs: Date().timeIntervalSince(started) * 1000, usage: completion.usage, provider: completion.provider))
                sequence += 2
                guard !requested.isEmpty else {
                    try await stopIfCancelled(request.executionId)
                    let reply = try await unmask(completion.text, request: request, agent: agent, sequence: sequence)
                    await complete(work, maskedAnswer: completion.text, reply: reply, usage: usage, sequence: sequence)
                    summarizer.refreshSoon(sessionId: request.sessionId, agentName: request.agent, agent: agent)
                    return
                }
                messages.append(ChatMessage(role: .assistant, content: completion.text, toolCalls: requested))
                do {
                    messages += try await calls.run(requested, base: sequence, flow: &flow, conversation: messages, answering: nil)
                } catch let asked as HumanGate.ConfirmationAsked {
                    // The turn ends with the question; the session's next message answers it.
                    let reply = try await unmask(asked.question, request: request, agent: agent, sequence: sequence)
                    await complete(work, maskedAnswer: asked.question, reply: reply, usage: usage, sequence: sequence + 2 * requested.count)
                    return
                }
                sequence += 2 * requested.count
            }
            await finish(
                work,
                failure: ExecutionError(
                    code: "MAX_CYCLES", message: "no answer within \(agent.maxProcessingCycles) processing cycles (the model kept calling tools)"),
                usage: usage)
        } catch let paused as HumanGate.Paused {
            await pause(work, approvalIds: paused.approvalIds)
        } catch let cancelled as Cancelled {
            // A superseded turn is answered by the newer one; its own reply stays empty (and unsent).
            let reply = cancelled.error.code == Self.supersededCode ? "" : "This request was cancelled before it finished."
            await end(
                work, status: .cancelled, result: nil, error: cancelled.error, replyText: reply,
                usage: nil, extraStep: step(request, Sequence.error, .error, "\(cancelled.error.code): \(cancelled.error.message)", started: Date(), durationMs: 0))
        } catch let failure as Failure {
            await finish(work, failure: ExecutionError(code: failure.code.uppercased(), message: failure.message))
        } catch let error as BusError {
            await finish(work, failure: ExecutionError(code: "DEPENDENCY_UNAVAILABLE", message: "\(error)"))
        } catch {
            await finish(work, failure: ExecutionError(code: "INTERNAL", message: "\(error)"))
        }
    }

    static let supersededCode = "SUPERSEDED"
    static let coalescedCode = "COALESCED"

    /// Stops a running turn at its next safe point because a newer message interrupts it; the
    /// newer turn answers both.
    func supersede(_ executionId: String, by newer: String) async {
        let error = ExecutionError(code: Self.supersededCode, message: "interrupted; answered together with execution \(newer)")
        do {
            let errorJSON = String(decoding: try JSONEncoder().encode(error), as: UTF8.self)
            try await database.store.write { db in
                try db.execute(
                    sql: """
                        UPDATE execution SET status = 'cancelled', error = ?, absorbedBy = ?, completedAt = ?
                        WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .cancel))
                        """,
                    arguments: [errorJSON, newer, Date().timeIntervalSince1970, executionId])
                try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .cancelled)
            }
            eventsChanged(executionId)
        } catch {
            logger.error("could not supersede a turn", metadata: ["execution": "\(executionId)", "error": "\(error)"])
        }
    }

    /// Folds a message that has not run into the turn `leadId`: its masked text becomes part
    /// of that turn, and it ends cancelled with an empty (unsent) reply.
    private func absorb(_ work: Work, into leadId: String, agent: AgentDefinition) async throws {
        let masked = try await mask(work.request, agent: agent)
        let error = ExecutionError(code: Self.coalescedCode, message: "answered together with execution \(leadId)")
        let errorJSON = String(decoding: try JSONEncoder().encode(error), as: UTF8.self)
        try await database.store.write { db in
            try db.execute(
                sql: """
                    UPDATE execution SET trigger = ?, absorbedBy = ?, status = 'cancelled', error = ?, completedAt = ?
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .cancel))
                    """,
                arguments: [masked, leadId, errorJSON, Date().timeIntervalSince1970, work.request.executionId])
            try ExecutionEventLog.recordStatus(db, executionId: work.request.executionId, status: .cancelled)
        }
        await end(
            work, status: .cancelled, result: nil, error: error, replyText: "", usage: nil,
            extraStep: step(work.request, Sequence.error, .error, "\(error.code): \(error.message)", started: Date(), durationMs: 0))
    }

    /// Refuses a message because its session is busy (turn coordination `reject`).
    func refuse(_ work: Work) async {
        let error = ExecutionError(code: "SESSION_BUSY", message: "the previous message in this session is still being answered")
        await end(
            work, status: .failed, result: nil, error: error,
            replyText: "I am still working on your previous message. Please send this again once I have answered.", usage: nil,
            extraStep: step(work.request, Sequence.error, .error, "\(error.code): \(error.message)", started: Date(), durationMs: 0))
    }

    /// The execution was cancelled; the turn stops here.
    struct Cancelled: Error {
        var error: ExecutionError
    }

    /// A safe point: throws ``Cancelled`` when the execution has been cancelled meanwhile.
    private func stopIfCancelled(_ executionId: String) async throws {
        let stored = try await database.store.read { db -> String?? in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, error FROM execution WHERE id = ?", arguments: [executionId]),
                (row["status"] as String?) == AgentExecution.Status.cancelled.rawValue
            else { return nil }
            return .some(row["error"] as String?)
        }
        guard let stored else { return }
        let error = stored.flatMap { try? JSONDecoder().decode(ExecutionError.self, from: Data($0.utf8)) }
        throw Cancelled(error: error ?? ExecutionError(code: "CANCELLED", message: "cancelled"))
    }

    /// The agent's capabilities the model may see and call.
    private func offeredCapabilities(_ agent: AgentDefinition) -> [String: CapabilityDefinition] {
        var offered: [String: CapabilityDefinition] = [:]
        for name in agent.capabilities {
            if let capability = metadata.capabilities[name], capability.exposure == .model { offered[name] = capability }
        }
        return offered
    }

    static func describe(_ call: ToolCall) -> JSONValue {
        .object(["id": .string(call.id), "name": .string(call.name), "arguments": call.arguments])
    }

    // MARK: Steps

    private func mask(_ request: ExecutionRequest, agent: AgentDefinition) async throws -> String {
        guard agent.trust.masking != .off else { return request.text }
        let result = try await node.call(
            MaskRequest(scope: request.sessionId, preset: agent.trust.masking.rawValue, texts: [request.text]),
            to: .peer("trust"), expecting: MaskResult.self, requestId: "\(request.executionId):mask:\(Sequence.userTurn)",
            correlation: Correlation(sessionId: request.sessionId, executionId: request.executionId, turnId: request.turnId),
            timeout: callTimeout, attempts: 3)
        guard let text = result.texts.first else { throw Failure(code: "trust_protocol", message: "mask result had no text") }
        return text
    }

    /// Asks the gateway; when the caller streams, the answer's text goes into the execution's
    /// events while it is written.
    private func complete(_ completion: CompletionRequest, work: Work, agent: AgentDefinition, requestId: String) async throws -> CompletionResult {
        let request = work.request
        let writer = completion.streamExecutionId.map { executionId in
            answerStreams.start(requestId: requestId, executionId: executionId) { [node, callTimeout] text in
                guard agent.trust.masking != .off else { return text }
                return try await node.call(
                    UnmaskRequest(scope: request.sessionId, texts: [text]), to: .peer("trust"), expecting: UnmaskResult.self,
                    correlation: work.envelope.correlation, timeout: callTimeout, attempts: 2
                ).texts.first ?? text
            }
        }
        do {
            let result = try await node.call(
                completion, to: .peer("gateway"), expecting: CompletionResult.self, requestId: requestId, correlation: work.envelope.correlation,
                traceparent: work.envelope.traceparent, timeout: metadata.completionBudget(provider: completion.provider), attempts: 2)
            if let writer { await answerStreams.finish(requestId: requestId, writer) }
            return result
        } catch {
            if let writer { await answerStreams.finish(requestId: requestId, writer) }
            throw error
        }
    }

    private func unmask(_ text: String, request: ExecutionRequest, agent: AgentDefinition, sequence: Int) async throws -> String {
        guard agent.trust.masking != .off else { return text }
        let result = try await node.call(
            UnmaskRequest(scope: request.sessionId, texts: [text]), to: .peer("trust"), expecting: UnmaskResult.self,
            requestId: "\(request.executionId):unmask:\(sequence)",
            correlation: Correlation(sessionId: request.sessionId, executionId: request.executionId, turnId: request.turnId),
            timeout: callTimeout, attempts: 3)
        return result.texts.first ?? text
    }

    /// Earlier completed turns of the same session, oldest first.
    private func history(of request: ExecutionRequest) async throws -> [PromptBuilder.Turn] {
        try await database.store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT trigger, result FROM execution
                    WHERE sessionId = ? AND id != ? AND status = 'completed' AND createdAt <= (SELECT createdAt FROM execution WHERE id = ?)
                    ORDER BY createdAt DESC, rowid DESC LIMIT 200
                    """,
                arguments: [request.sessionId, request.executionId, request.executionId]
            ).reversed().map { PromptBuilder.Turn(user: $0["trigger"], assistant: $0["result"] ?? "") }
        }
    }

    private func markRunning(_ executionId: String) async throws {
        try await database.store.write { db in
            try db.execute(
                sql: """
                    UPDATE execution SET status = 'running', startedAt = COALESCE(startedAt, ?)
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .start))
                    """,
                arguments: [Date().timeIntervalSince1970, executionId])
            try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .running)
        }
        eventsChanged(executionId)
    }

    func step(
        _ request: ExecutionRequest, _ sequence: Int, _ type: ExecutionStep.StepType, _ content: String, started: Date, durationMs: Double,
        usage: TokenUsage? = nil, provider: String? = nil
    ) -> ExecutionStep {
        ExecutionStep(
            executionId: request.executionId, sequence: sequence, type: type, content: content, startedAt: started, durationMs: durationMs,
            usage: usage, provider: provider)
    }

    private func record(_ step: ExecutionStep) async throws {
        try await database.store.write { db in try step.upsert(db) }
    }

    static func event(endingWith status: AgentExecution.Status) -> LifecycleEvent {
        switch status {
        case .completed: .complete
        case .cancelled: .cancel
        default: .fail
        }
    }

    static func render(_ messages: [ChatMessage]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(messages), as: UTF8.self)) ?? ""
    }
}
