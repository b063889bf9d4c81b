import Foundation
import GRDB
import LoomBus
import LoomConfig
import LoomContract
import LoomStore
import Logging

/// Drives one conversational turn from its request to its outbound message: folds in the
/// messages it answers together, marks it running, then runs the ``ConversationCore`` over the
/// execution's history with an ``ExecutionLoop`` and records how it ended, with the reply.
struct ExecutionDriver: Sendable {
    let services: ExecutionServices
    /// Called after a reply was queued in the outbox, so the relay sends it now.
    let outboxChanged: @Sendable () -> Void
    /// Called after an execution's events changed, so long-polling readers see them now.
    let eventsChanged: @Sendable (_ executionId: String) -> Void

    var database: OrchestratorDatabase { services.database }
    var metadata: LoomMetadata { services.metadata }
    var node: BusNode { services.node }
    var logger: Logger { services.logger }

    struct Work: Sendable {
        var request: ExecutionRequest
        var envelope: Envelope
        /// Routing id of the router that handed the work over; the outbound message goes back there.
        var source: PeerAddress
        /// Earlier messages of the session this turn answers too (coalesced or superseded).
        var absorbing: [Work] = []
    }

    /// How driving went: the turn ended (for good or waiting), or it must be driven again later.
    enum Outcome: Sendable {
        case ended
        case retryLater
    }

    @discardableResult
    func drive(_ work: Work) async -> Outcome {
        let request = work.request
        guard let agent = metadata.agents[request.agent] else {
            return await finish(
                work, failure: ExecutionError(code: "UNKNOWN_AGENT", message: "agent '\(request.agent)' is not configured"))
        }
        let core = ConversationCore(request: request, agent: agent, capabilities: metadata.capabilities)
        do {
            if work.absorbing.isEmpty {
                try await markRunning(request.executionId, input: .conversational(request))
            } else {
                try await database.recordInput(request.executionId, .conversational(request))
                for earlier in work.absorbing { try await absorb(earlier, into: request.executionId, agent: agent) }
                try await markRunning(request.executionId, input: nil)
            }
            let performer = CallPerformer(
                services: services,
                subject: CallPerformer.Subject(
                    executionId: request.executionId, agent: agent, request: request, scope: request.sessionId,
                    correlation: work.envelope.correlation, traceparent: work.envelope.traceparent, offered: core.offered))
            let loop = ExecutionLoop(
                database: database, performer: performer, logger: logger,
                checkpoint: { try await stopIfCancelled(request.executionId) })
            let ended = try await loop.run(request.executionId, decide: core.decide)
            try await stopIfCancelled(request.executionId)
            let round = ended.round
            switch ended.ending {
            case .completed(let maskedAnswer, let reply, let usage):
                let outcome = await complete(work, maskedAnswer: maskedAnswer, reply: reply, usage: usage, round: round)
                if agent.memory.strategy == .summaryBuffer {
                    services.summarizer.refreshSoon(sessionId: request.sessionId, agentName: request.agent, agent: agent)
                }
                return outcome
            case .failed(let error, let reply, let usage):
                return await finish(work, failure: error, usage: usage, reply: reply, round: round)
            case .paused(let approvalIds):
                return await pause(work, approvalIds: approvalIds, round: round)
            }
        } catch let cancelled as Cancelled {
            // A superseded turn is answered by the newer one; its own reply stays empty (and unsent).
            let reply = cancelled.error.code == Self.supersededCode ? "" : "This request was cancelled before it finished."
            return await end(
                work, status: .cancelled, result: nil, error: cancelled.error, replyText: reply, usage: nil,
                extraStep: errorStep(request.executionId, cancelled.error))
        } catch ExecutionLoop.Interruption.stalled {
            return await finish(work, failure: ExecutionError(code: "INTERNAL", message: "the turn's decisions stalled"))
        } catch {
            // The history could not be read or written: nothing is lost, the turn is driven again.
            logger.warning(
                "could not drive an execution; it stays pending",
                metadata: ["execution": "\(request.executionId)", "error": "\(error)"])
            return .retryLater
        }
    }

    static let supersededCode = "SUPERSEDED"
    static let coalescedCode = "COALESCED"

    /// The execution was cancelled; the turn stops here.
    struct Cancelled: Error {
        var error: ExecutionError
    }

    /// A safe point: throws ``Cancelled`` when the execution has been cancelled meanwhile.
    func stopIfCancelled(_ executionId: String) async throws {
        let stored = try await database.store.readOneStatement { db -> String?? in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, error FROM execution WHERE id = ?", arguments: [executionId]),
                (row["status"] as String?) == AgentExecution.Status.cancelled.rawValue
            else { return nil }
            return .some(row["error"] as String?)
        }
        guard let stored else { return }
        let error = stored.flatMap { try? WireCodec.decodeValue(ExecutionError.self, from: Data($0.utf8)) }
        throw Cancelled(error: error ?? ExecutionError(code: "CANCELLED", message: "cancelled"))
    }

    /// Marks the execution running, with its input on record in the same transaction when given.
    private func markRunning(_ executionId: String, input: ExecutionInput?) async throws {
        let now = services.now()
        let sealedInput = try input.map { try database.sealInput(executionId, $0) }
        try await database.store.write { db in
            if let sealedInput { try OrchestratorDatabase.writeInput(db, executionId, sealed: sealedInput) }
            try db.execute(
                sql: """
                    UPDATE execution SET status = 'running', startedAt = COALESCE(startedAt, ?)
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .start))
                    """,
                arguments: [now.timeIntervalSince1970, executionId])
            // Only a change of status is an event: a finished turn never gets "running" again.
            if db.changesCount > 0 { try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .running) }
        }
        eventsChanged(executionId)
    }

    func step(_ executionId: String, _ sequence: Int, _ type: ExecutionStep.StepType, _ content: String) -> ExecutionStep {
        ExecutionStep(
            executionId: executionId, sequence: sequence, type: type, content: content, startedAt: services.now(), durationMs: 0)
    }

    func errorStep(_ executionId: String, _ error: ExecutionError) -> ExecutionStep {
        step(executionId, StepNumbers.error, .error, "\(error.code): \(error.message)")
    }

    static func event(endingWith status: AgentExecution.Status) -> LifecycleEvent {
        switch status {
        case .completed: .complete
        case .cancelled: .cancel
        default: .fail
        }
    }
}
