import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import Logging
import Synchronization

/// Runs `direct` agents: one input object in, one output object out that matches the agent's
/// output schema. No session, no memory. Output that does not parse or match is sent back to
/// the model once with the reasons; a second miss fails the execution with `OUTPUT_INVALID`.
///
/// The execution id comes from the caller's idempotency key and every call id from the
/// execution and step, so a retried request returns the recorded outcome, and one whose first
/// attempt died with the process is driven again from the cached answers.
struct DirectRunner: Sendable {
    let services: ExecutionServices
    let eventsChanged: @Sendable (_ executionId: String) -> Void
    let inFlight = InFlightRuns()

    var database: OrchestratorDatabase { services.database }

    /// The execution whose tool call asks for a run, and the masking scope the run shares with it.
    struct Parent: Sendable {
        var executionId: String
        /// The parent's session: the child masks and unmasks in its vault scope, so every value
        /// the parent masked is the same token for the child, whatever the child's own preset finds.
        var sessionId: String
    }

    func run(_ request: DirectRunRequest) async -> any MessagePayload {
        await run(request, parent: nil)
    }

    /// - Parameter parent: the execution whose tool call asked for this run, if any. Only the
    ///   orchestrator names one: a caller over the bus cannot reach into a session's scope.
    func run(_ request: DirectRunRequest, parent: Parent?) async -> any MessagePayload {
        guard let defined = services.metadata.agents[request.agent] else {
            return Failure(code: "unknown_agent", message: "no agent named '\(request.agent)'")
        }
        guard defined.strategy == .direct, let schema = defined.outputSchema else {
            return Failure(code: "not_direct", message: "agent '\(request.agent)' is conversational; send it messages instead")
        }
        guard let floor = Self.maskingFloor(request.maskingFloor) else {
            return Failure(
                code: "invalid_masking",
                message: "masking floor '\(request.maskingFloor ?? "")' is not off, standard or strict")
        }
        let agent = Self.held(defined, to: floor)
        let executionId = MessageID.derived("exe", from: "run|\(request.agent)|\(request.idempotencyKey)")
        let core = DirectCore(
            executionId: executionId, agentName: request.agent, agent: agent, schema: JSONSchema(schema), input: request.input)
        // A resent request (same id) while the first is still running shares its outcome.
        return await inFlight.once(executionId) {
            await self.drive(core, parent: parent)
        }
    }

    /// `agent` masking at least as strictly as `floor`: a child never masks less than its parent.
    static func held(_ agent: AgentDefinition, to floor: TrustSettings.MaskingPreset) -> AgentDefinition {
        var held = agent
        held.trust.masking = .strictest(agent.trust.masking, floor)
        return held
    }

    /// A preset the run is held to; nil for a name that is none. No floor is `off`.
    static func maskingFloor(_ name: String?) -> TrustSettings.MaskingPreset? {
        guard let name else { return .off }
        return TrustSettings.MaskingPreset(rawValue: name)
    }

    private func drive(_ core: DirectCore, parent: Parent?) async -> any MessagePayload {
        let executionId = core.executionId
        do {
            try await begin(core, parent: parent?.executionId)
            let performer = CallPerformer(
                services: services,
                subject: CallPerformer.Subject(
                    executionId: executionId, agent: core.agent, request: nil, scope: parent?.sessionId ?? executionId,
                    correlation: Correlation(sessionId: parent?.sessionId, executionId: executionId), traceparent: nil,
                    offered: [:]))
            let loop = ExecutionLoop(database: database, performer: performer, logger: services.logger, checkpoint: {})
            let ended = try await loop.run(executionId, decide: core.decide)
            return try await end(executionId, ended.ending, round: ended.round)
        } catch {
            // The history could not be read or written: the caller may retry with the same key.
            services.logger.warning("direct run interrupted", metadata: ["execution": "\(executionId)", "error": "\(error)"])
            return Failure(code: "store_unavailable", message: "the run could not be recorded: \(error)", retryable: true)
        }
    }

    /// Output text → a value valid against the schema, or why not.
    static func check(_ text: String, against schema: JSONSchema) -> Result<JSONValue, OutputCheck.Problem> {
        OutputCheck.check(text, against: schema)
    }

    // MARK: Records

    /// The execution, its input and its start, in one transaction.
    private func begin(_ core: DirectCore, parent: String?) async throws {
        let executionId = core.executionId
        let input = try database.sealInput(
            executionId, .direct(agent: core.agentName, input: core.input, masking: core.agent.trust.masking))
        let now = services.now()
        try await database.store.write { db in
            try AgentExecution(
                id: executionId, agent: core.agentName, sessionId: nil, channel: .api, strategy: .direct, turnId: executionId,
                trigger: "", parentExecutionId: parent
            ).insert(db, onConflict: .ignore)
            if db.changesCount > 0 { try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .pending) }
            try OrchestratorDatabase.writeInput(db, executionId, sealed: input)
            try db.execute(
                sql: """
                    UPDATE execution SET status = 'running', startedAt = COALESCE(startedAt, ?)
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .start))
                    """,
                arguments: [now.timeIntervalSince1970, executionId])
            if db.changesCount > 0 { try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .running) }
        }
        eventsChanged(executionId)
    }

    private func end(
        _ executionId: String, _ ending: CoreEnding, round: OrchestratorDatabase.SealedRound
    ) async throws -> DirectRunResult {
        let status: AgentExecution.Status
        var result: String?
        var error: ExecutionError?
        var usage: TokenUsage?
        var output: JSONValue?
        switch ending {
        case .completed(let maskedAnswer, let reply, let used):
            (status, result, usage) = (.completed, maskedAnswer, used)
            output = try WireCodec.decodeValue(JSONValue.self, from: Data(reply.utf8))
        case .failed(let failure, _, let used):
            (status, error, usage) = (.failed, failure, used)
        case .paused:
            (status, error) = (.failed, ExecutionError(code: "INTERNAL", message: "a direct run cannot wait for approvals"))
        }
        let errorJSON = try error.map { try WireCodec.encodeText($0) }
        let usageJSON = try WireCodec.encodeText(usage ?? TokenUsage())
        let now = services.now()
        try await database.store.write { [status, result] db in
            try OrchestratorDatabase.write(db, round)
            try db.execute(
                sql: """
                    UPDATE execution SET status = ?, result = ?, error = ?, usage = ?, completedAt = ?
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: ExecutionDriver.event(endingWith: status)))
                    """,
                arguments: [status.rawValue, result, errorJSON, usageJSON, now.timeIntervalSince1970, executionId])
            if db.changesCount > 0 { try ExecutionEventLog.recordStatus(db, executionId: executionId, status: status) }
        }
        eventsChanged(executionId)
        let recorded = try await database.store.read { db in try AgentExecution.fetchOne(db, key: executionId) }
        return DirectRunResult(
            executionId: executionId, status: recorded?.status ?? status, output: output, error: recorded?.error ?? error)
    }
}

/// One run per execution id at a time; a second caller with the same id awaits the first.
actor InFlightRuns {
    private var running: [String: Task<any MessagePayload, Never>] = [:]

    func once(_ executionId: String, _ work: @escaping @Sendable () async -> any MessagePayload) async -> any MessagePayload {
        if let task = running[executionId] { return await task.value }
        let task = Task { await work() }
        running[executionId] = task
        let result = await task.value
        running[executionId] = nil
        return result
    }
}

/// Where agent capabilities find the direct runner, set once both exist.
final class DirectRunnerBox: Sendable {
    private let runner = Mutex<DirectRunner?>(nil)

    func set(_ directRunner: DirectRunner) { runner.withLock { $0 = directRunner } }

    func run(_ request: DirectRunRequest, parent: DirectRunner.Parent) async -> any MessagePayload {
        guard let directRunner = runner.withLock({ $0 }) else {
            return Failure(code: "not_ready", message: "the orchestrator is still starting", retryable: true)
        }
        return await directRunner.run(request, parent: parent)
    }
}
