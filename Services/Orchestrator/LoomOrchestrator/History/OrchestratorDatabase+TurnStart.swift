import Foundation
import GRDB
import LoomContract

/// What a conversational turn reads from the orchestrator's own records as it starts.
extension OrchestratorDatabase {
    func turnStart(of request: ExecutionRequest, at now: Date) async throws -> TurnStart {
        try await store.read { db in
            let absorbed = try String.fetchAll(
                db, sql: "SELECT trigger FROM execution WHERE absorbedBy = ? AND trigger != '' ORDER BY createdAt, rowid",
                arguments: [request.executionId])
            let history = try Row.fetchAll(
                db,
                sql: """
                    SELECT trigger, result FROM execution
                    WHERE sessionId = ? AND id != ? AND status = 'completed'
                      AND createdAt <= (SELECT createdAt FROM execution WHERE id = ?)
                    ORDER BY createdAt DESC, rowid DESC LIMIT 200
                    """,
                arguments: [request.sessionId, request.executionId, request.executionId]
            ).reversed().map { PromptBuilder.Turn(user: $0["trigger"], assistant: $0["result"] ?? "") }
            return TurnStart(
                absorbedTexts: absorbed, history: Array(history), pendingConfirmation: try Self.pendingConfirmation(db, for: request),
                now: now)
        }
    }

    /// The question this turn answers: still pending, or already answered by this very execution
    /// (when it is driven again).
    static func pendingConfirmation(_ db: Database, for request: ExecutionRequest) throws -> PendingConfirmation? {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT * FROM confirmation WHERE sessionId = ? AND agent = ? AND executionId != ?
                  AND (status = 'pending' OR answeredBy = ?) ORDER BY createdAt DESC LIMIT 1
                """,
            arguments: [request.sessionId, request.agent, request.executionId, request.executionId])
        else { return nil }
        let messages = try WireCodec.decodeValue([ChatMessage].self, from: Data((row["messages"] as String).utf8))
        return PendingConfirmation(
            id: row["id"], executionId: row["executionId"], callId: row["callId"], capability: row["capability"], messages: messages)
    }
}
