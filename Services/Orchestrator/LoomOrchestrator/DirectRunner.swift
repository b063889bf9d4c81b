import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// Runs `direct` agents: one input object in, one output object out that matches the agent's
/// output schema. No session, no memory. Output that does not parse or match is sent back to
/// the model once with the reasons; a second miss fails the execution with `OUTPUT_INVALID`.
///
/// The execution id comes from the caller's idempotency key and every call id from the
/// execution and step, so a retried request returns the recorded outcome, and one whose first
/// attempt died with the process is driven again from the cached answers.
struct DirectRunner: Sendable {
    let database: OrchestratorDatabase
    let metadata: LoomMetadata
    let node: BusNode
    let logger: Logger
    let callTimeout: Duration
    let eventsChanged: @Sendable (_ executionId: String) -> Void
    let inFlight = InFlightRuns()

    /// Attempts at a valid output: the first answer and one correction.
    static let attempts = 2

    func run(_ request: DirectRunRequest) async -> any MessagePayload {
        await run(request, parent: nil)
    }

    /// - Parameter parent: the execution whose tool call asked for this run, if any.
    func run(_ request: DirectRunRequest, parent: String?) async -> any MessagePayload {
        guard let agent = metadata.agents[request.agent] else {
            return Failure(code: "unknown_agent", message: "no agent named '\(request.agent)'")
        }
        guard agent.strategy == .direct, let schema = agent.outputSchema else {
            return Failure(code: "not_direct", message: "agent '\(request.agent)' is conversational; send it messages instead")
        }
        let executionId = MessageID.derived("exe", from: "run|\(request.agent)|\(request.idempotencyKey)")
        // A resent request (same id) while the first is still running shares its outcome.
        return await inFlight.once(executionId) {
            await self.drive(
                executionId: executionId, agentName: request.agent, agent: agent, schema: JSONSchema(schema), input: request.input, parent: parent)
        }
    }

    private func drive(
        executionId: String, agentName: String, agent: AgentDefinition, schema: JSONSchema, input: JSONValue, parent: String?
    ) async -> DirectRunResult {
        do {
            if let finished = try await recorded(executionId), finished.status.isTerminal {
                var output: JSONValue?
                if let result = finished.result { output = try await unmask(try Self.parse(result), executionId: executionId, agent: agent) }
                return DirectRunResult(executionId: executionId, status: finished.status, output: output, error: finished.error)
            }
            try await begin(executionId: executionId, agentName: agentName, parent: parent)
            let maskedInput = try await mask(input, executionId: executionId, agent: agent)
            let inputText = Self.json(maskedInput)
            try await record(executionId, 1, .userTurn, inputText)
            try await database.store.write { db in
                try db.execute(sql: "UPDATE execution SET trigger = ? WHERE id = ?", arguments: [inputText, executionId])
            }
            var messages = PromptBuilder(agent: agent).messages(history: [], userText: inputText, now: Date())
            messages[0].content += "\n\nAnswer with only a JSON object, no other text, that matches this JSON Schema:\n" + Self.json(schema.root)
            var sequence = 2
            var usage = TokenUsage()
            var reasons = ""
            for _ in 0..<Self.attempts {
                let started = Date()
                try await record(executionId, sequence, .llmRequest, ExecutionDriver.render(messages))
                let completion = try await node.call(
                    CompletionRequest(
                        agent: agentName, provider: agent.provider, model: agent.model, temperature: agent.temperature, maxTokens: agent.maxTokens,
                        messages: messages, responseFormat: ResponseFormat(name: agentName, schema: schema.root)),
                    to: .peer("gateway"), expecting: CompletionResult.self, requestId: "\(executionId):llm:\(sequence)",
                    timeout: metadata.completionBudget(provider: agent.provider), attempts: 2)
                usage = usage + completion.usage
                try await record(
                    executionId, sequence + 1, .llmResponse, completion.text, started: started, usage: completion.usage, provider: completion.provider)
                sequence += 2
                switch Self.check(completion.text, against: schema) {
                case .success(let output):
                    let unmasked = try await unmask(output, executionId: executionId, agent: agent)
                    try await end(executionId, .completed, result: Self.json(output), error: nil, usage: usage, step: (sequence, .assistantResponse, Self.json(output)))
                    return DirectRunResult(executionId: executionId, status: .completed, output: unmasked, error: nil)
                case .failure(let problem):
                    reasons = problem.description
                    try await record(executionId, sequence, .error, "OUTPUT_INVALID: \(problem)")
                    sequence += 1
                    messages.append(ChatMessage(role: .assistant, content: completion.text))
                    messages.append(ChatMessage(
                        role: .user,
                        content: "Your output was not valid: \(problem). Answer again with only the corrected JSON object."))
                }
            }
            let error = ExecutionError(code: "OUTPUT_INVALID", message: "the output did not match the output schema after a correction: \(reasons)")
            try await end(executionId, .failed, result: nil, error: error, usage: usage, step: nil)
            return DirectRunResult(executionId: executionId, status: .failed, output: nil, error: error)
        } catch {
            let failure =
                switch error {
                case let failure as Failure: ExecutionError(code: failure.code.uppercased(), message: failure.message)
                case let error as BusError: ExecutionError(code: "DEPENDENCY_UNAVAILABLE", message: "\(error)")
                default: ExecutionError(code: "INTERNAL", message: "\(error)")
                }
            logger.warning("direct run failed", metadata: ["execution": "\(executionId)", "code": "\(failure.code)"])
            try? await end(executionId, .failed, result: nil, error: failure, usage: nil, step: nil)
            return DirectRunResult(executionId: executionId, status: .failed, output: nil, error: failure)
        }
    }

    /// Output text → a value valid against the schema, or why not. Tolerates a Markdown fence.
    /// Why an output was refused, in words the model can act on.
    struct OutputProblem: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ text: String, against schema: JSONSchema) -> Result<JSONValue, OutputProblem> {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("```") {
            body = body.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
            if body.hasSuffix("```") { body = String(body.dropLast(3)) }
        }
        // The model's text is untrusted: the shared limits run before Foundation's parser, which
        // traps on deep enough input, and the model is told which limit it broke.
        do {
            try JSONLimits.standard.check(body)
        } catch {
            return .failure(OutputProblem(description: "the output was refused before parsing: \(error)"))
        }
        guard let value = try? parse(body) else { return .failure(OutputProblem(description: "the output is not JSON")) }
        switch schema.validate(value) {
        case .success(let checked): return .success(checked)
        case .failure(let violations): return .failure(OutputProblem(description: violations.description))
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func json(_ value: JSONValue) -> String { ToolInvoker.json(value) }

    // MARK: Records

    private func recorded(_ executionId: String) async throws -> AgentExecution? {
        try await database.store.read { db in try AgentExecution.fetchOne(db, key: executionId) }
    }

    private func begin(executionId: String, agentName: String, parent: String?) async throws {
        try await database.store.write { db in
            try AgentExecution(
                id: executionId, agent: agentName, sessionId: nil, channel: .api, strategy: .direct, turnId: executionId, trigger: "",
                parentExecutionId: parent
            ).insert(db, onConflict: .ignore)
            try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .pending)
            try db.execute(
                sql: "UPDATE execution SET status = 'running', startedAt = COALESCE(startedAt, ?) WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .start))",
                arguments: [Date().timeIntervalSince1970, executionId])
            try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .running)
        }
        eventsChanged(executionId)
    }

    private func record(
        _ executionId: String, _ sequence: Int, _ type: ExecutionStep.StepType, _ content: String, started: Date = Date(), usage: TokenUsage? = nil,
        provider: String? = nil
    ) async throws {
        let step = ExecutionStep(
            executionId: executionId, sequence: sequence, type: type, content: content, startedAt: started,
            durationMs: Date().timeIntervalSince(started) * 1000, usage: usage, provider: provider)
        try await database.store.write { db in try step.upsert(db) }
    }

    private func end(
        _ executionId: String, _ status: AgentExecution.Status, result: String?, error: ExecutionError?, usage: TokenUsage?,
        step: (Int, ExecutionStep.StepType, String)?
    ) async throws {
        let errorJSON = try error.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let usageJSON = String(decoding: try JSONEncoder().encode(usage ?? TokenUsage()), as: UTF8.self)
        try await database.store.write { db in
            if let (sequence, type, content) = step {
                try ExecutionStep(executionId: executionId, sequence: sequence, type: type, content: content, startedAt: Date(), durationMs: 0)
                    .upsert(db)
            }
            try db.execute(
                sql: """
                    UPDATE execution SET status = ?, result = ?, error = ?, usage = ?, completedAt = ?
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: ExecutionDriver.event(endingWith: status)))
                    """,
                arguments: [status.rawValue, result, errorJSON, usageJSON, Date().timeIntervalSince1970, executionId])
            try ExecutionEventLog.recordStatus(db, executionId: executionId, status: status)
        }
        eventsChanged(executionId)
    }

    // MARK: Masking

    private func mask(_ value: JSONValue, executionId: String, agent: AgentDefinition) async throws -> JSONValue {
        try await LeafMasking(node: node, callTimeout: callTimeout).mask(
            value, scope: executionId, agent: agent, requestId: "\(executionId):mask-input",
            correlation: Correlation(executionId: executionId))
    }

    private func unmask(_ value: JSONValue, executionId: String, agent: AgentDefinition) async throws -> JSONValue {
        try await LeafMasking(node: node, callTimeout: callTimeout).unmask(
            value, scope: executionId, agent: agent,
            requestId: "\(executionId):unmask-output:\(MessageID.derived("o", from: Self.json(value)))",
            correlation: Correlation(executionId: executionId))
    }
}

/// One run per execution id at a time; a second caller with the same id awaits the first.
actor InFlightRuns {
    private var running: [String: Task<DirectRunResult, Never>] = [:]

    func once(_ executionId: String, _ work: @escaping @Sendable () async -> DirectRunResult) async -> DirectRunResult {
        if let task = running[executionId] { return await task.value }
        let task = Task { await work() }
        running[executionId] = task
        let result = await task.value
        running[executionId] = nil
        return result
    }
}
