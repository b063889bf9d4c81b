import Foundation
import GRDB
import LoomBus
import LoomContract
import LoomStore

/// How a turn stops: completed with its answer, failed with a polite apology, waiting for
/// approvals, or ended otherwise — each recorded with its reply in one transaction.
extension ExecutionDriver {
    /// Completes the execution and queues the reply (the answer step is already on the trace).
    func complete(
        _ work: Work, maskedAnswer: String, reply: String, usage: TokenUsage, round: OrchestratorDatabase.SealedRound
    ) async -> Outcome {
        await end(
            work, status: .completed, result: maskedAnswer, error: nil, replyText: reply, usage: usage, extraStep: nil,
            round: round)
    }

    /// Waits for approvals: the execution is `awaitingApproval`, its request stays in the inbox,
    /// and the scheduler drives it again once every approval is decided or expired.
    func pause(_ work: Work, approvalIds: [String], round: OrchestratorDatabase.SealedRound) async -> Outcome {
        let request = work.request
        let now = services.now()
        do {
            let ids = try WireCodec.encodeText(approvalIds)
            try await database.store.write { db in
                try OrchestratorDatabase.write(db, round)
                try db.execute(
                    sql: """
                        UPDATE execution SET status = 'awaitingApproval'
                        WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .awaitApproval))
                        """,
                    arguments: [request.executionId])
                guard db.changesCount > 0 else { return }
                try ExecutionEventLog.recordStatus(db, executionId: request.executionId, status: .awaitingApproval)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO executionPause (executionId, approvalIds, pausedAt) VALUES (?, ?, ?)",
                    arguments: [request.executionId, ids, now.timeIntervalSince1970])
            }
            eventsChanged(request.executionId)
            logger.info("execution waits for approval", metadata: ["execution": "\(request.executionId)", "approvals": "\(approvalIds)"])
            return .ended
        } catch {
            logger.error("could not record a pause", metadata: ["execution": "\(request.executionId)", "error": "\(error)"])
            return .retryLater
        }
    }

    func finish(
        _ work: Work, failure: ExecutionError, usage: TokenUsage? = nil, reply: String? = nil,
        round: OrchestratorDatabase.SealedRound? = nil
    ) async -> Outcome {
        logger.warning(
            "execution failed",
            metadata: ["execution": "\(work.request.executionId)", "code": "\(failure.code)", "error": "\(failure.message)"])
        let apology = reply ?? "Sorry, I could not handle that request right now (\(failure.code))."
        return await end(
            work, status: .failed, result: nil, error: failure, replyText: apology, usage: usage,
            extraStep: errorStep(work.request.executionId, failure), round: round)
    }

    func end(
        _ work: Work, status: AgentExecution.Status, result: String?, error: ExecutionError?, replyText: String, usage: TokenUsage?,
        extraStep: ExecutionStep?, round: OrchestratorDatabase.SealedRound? = nil
    ) async -> Outcome {
        let request = work.request
        let outbound = OutboundMessage(
            executionId: request.executionId, sessionId: request.sessionId, inReplyTo: request.inboundMessageId, channel: request.channel,
            endpoint: request.endpoint, recipient: request.sender, text: replyText, status: status, error: error, replyTo: request.replyTo,
            usage: usage)
        let envelope = work.envelope.derived(id: MessageID.derived("out", from: request.executionId), body: outbound)
        let now = services.now()
        do {
            let payload = try node.codec.encode(envelope)
            let errorJSON = try error.map { try WireCodec.encodeText($0) }
            let usageJSON = try WireCodec.encodeText(usage ?? TokenUsage())
            try await database.store.write { db in
                // The last round's answers and steps commit with the ending that acts on them.
                if let round { try OrchestratorDatabase.write(db, round) }
                try extraStep?.write(db)
                try db.execute(
                    sql: """
                        UPDATE execution SET status = ?, result = ?, error = ?, usage = ?, completedAt = ?
                        WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: Self.event(endingWith: status)))
                        """,
                    arguments: [status.rawValue, result, errorJSON, usageJSON, now.timeIntervalSince1970, request.executionId])
                if db.changesCount > 0 { try ExecutionEventLog.recordStatus(db, executionId: request.executionId, status: status) }
                try db.enqueueOutbox(messageId: envelope.id, destination: work.source.description, kind: envelope.kind.rawValue, payload: payload)
                try db.markInboxProcessed(messageId: work.envelope.id)
            }
            outboxChanged()
            eventsChanged(request.executionId)
            return .ended
        } catch {
            // Left pending in the inbox: the scheduler drives it again.
            logger.error("could not record the end of an execution", metadata: ["execution": "\(request.executionId)", "error": "\(error)"])
            return .retryLater
        }
    }
}
