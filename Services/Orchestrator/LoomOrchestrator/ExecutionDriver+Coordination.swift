import Foundation
import GRDB
import LoomConfig
import LoomContract

/// Turn coordination as the driver carries it out: a newer message supersedes a running turn,
/// earlier messages are folded into the turn that answers them, a busy session refuses.
extension ExecutionDriver {
    /// Stops a running turn at its next safe point because a newer message interrupts it; the
    /// newer turn answers both.
    func supersede(_ executionId: String, by newer: String) async {
        let error = ExecutionError(code: Self.supersededCode, message: "interrupted; answered together with execution \(newer)")
        let now = services.now()
        do {
            let errorJSON = try WireCodec.encodeText(error)
            try await database.store.write { db in
                try db.execute(
                    sql: """
                        UPDATE execution SET status = 'cancelled', error = ?, absorbedBy = ?, completedAt = ?
                        WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .cancel))
                        """,
                    arguments: [errorJSON, newer, now.timeIntervalSince1970, executionId])
                if db.changesCount > 0 { try ExecutionEventLog.recordStatus(db, executionId: executionId, status: .cancelled) }
            }
            eventsChanged(executionId)
        } catch {
            logger.error("could not supersede a turn", metadata: ["execution": "\(executionId)", "error": "\(error)"])
        }
    }

    /// Folds a message that has not run into the turn `leadId`: its masked text becomes part
    /// of that turn, and it ends cancelled with an empty (unsent) reply.
    func absorb(_ work: Work, into leadId: String, agent: AgentDefinition) async throws {
        let request = work.request
        var masked = request.text
        if agent.trust.masking != .off {
            let result = try await node.call(
                MaskRequest(
                    scope: request.sessionId, preset: agent.trust.masking.rawValue, texts: [request.text], region: agent.trust.region),
                to: .peer("trust"), expecting: MaskResult.self, requestId: "\(request.executionId):mask:1",
                correlation: Correlation(sessionId: request.sessionId, executionId: request.executionId, turnId: request.turnId),
                timeout: services.callTimeout, attempts: 3)
            guard let text = result.texts.first else { throw Failure(code: "trust_protocol", message: "mask result had no text") }
            masked = text
        }
        let error = ExecutionError(code: Self.coalescedCode, message: "answered together with execution \(leadId)")
        let errorJSON = try WireCodec.encodeText(error)
        let now = services.now()
        let trigger = masked
        try await database.store.write { db in
            try db.execute(
                sql: """
                    UPDATE execution SET trigger = ?, absorbedBy = ?, status = 'cancelled', error = ?, completedAt = ?
                    WHERE id = ? AND status IN \(LifecycleGuard.sqlList(accepting: .cancel))
                    """,
                arguments: [trigger, leadId, errorJSON, now.timeIntervalSince1970, request.executionId])
            if db.changesCount > 0 { try ExecutionEventLog.recordStatus(db, executionId: request.executionId, status: .cancelled) }
        }
        _ = await end(
            work, status: .cancelled, result: nil, error: error, replyText: "", usage: nil,
            extraStep: errorStep(request.executionId, error))
    }

    /// Refuses a message because its session is busy (turn coordination `reject`).
    func refuse(_ work: Work) async -> Outcome {
        let error = ExecutionError(code: "SESSION_BUSY", message: "the previous message in this session is still being answered")
        return await end(
            work, status: .failed, result: nil, error: error,
            replyText: "I am still working on your previous message. Please send this again once I have answered.", usage: nil,
            extraStep: errorStep(work.request.executionId, error))
    }
}
