import Foundation
import GRDB
import LoomContract
import LoomStore

/// An execution's trace as users read it.
///
/// An `llmRequest` step is stored as a reference to its model call: the prompt is already on
/// record, exactly as it was sent, in that call's request. Storing it again on the step doubled
/// a turn's storage and grew with the conversation. The trace renders the prompt from the call.
extension OrchestratorDatabase {
    func trace(of executionId: String) async throws -> TraceResult {
        let (sealing, content) = (self.sealing, self.content)
        return try await store.read { db in
            let steps = try ExecutionStep.fetchAll(
                db, sql: "SELECT * FROM step WHERE executionId = ? ORDER BY sequence", arguments: [executionId])
            return TraceResult(
                execution: try AgentExecution.fetchOne(db, key: executionId),
                steps: try steps.map { try Self.expanded($0, db, sealing: sealing, content: content) },
                children: try AgentExecution.fetchAll(
                    db, sql: "SELECT * FROM execution WHERE parentExecutionId = ? ORDER BY createdAt",
                    arguments: [executionId]))
        }
    }

    /// The step with its prompt in place of the reference; a reference whose call is not on
    /// record (yet) stays as it is.
    private static func expanded(
        _ step: ExecutionStep, _ db: Database, sealing: SealedColumn, content: ContentStore
    ) throws -> ExecutionStep {
        guard step.type == .llmRequest, let callId = TraceText.referencedCall(step.content),
              let row = try Row.fetchOne(
                db, sql: "SELECT request FROM callRecord WHERE executionId = ? AND callId = ?",
                arguments: [step.executionId, callId])
        else { return step }
        let stored = try request(
            db, executionId: step.executionId, callId: callId, stored: row["request"], sealing: sealing,
            content: content)
        guard case .complete(let request) = stored else { return step }
        var step = step
        step.content = TraceText.render(request.messages)
        return step
    }
}
