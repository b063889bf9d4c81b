import Foundation
import GRDB
import LoomContract
import LoomStore

/// The execution's history in the orchestrator's database: the calls it made and the answers it
/// acted on, each committed before the execution acts on it.
extension OrchestratorDatabase {
    /// A recorded call: its request, and its answer once there is one.
    struct RecordedCall: Sendable {
        var call: ExecutionCall
        var outcome: RecordedOutcome?
    }

    /// Every call of the execution, in the order it was first recorded.
    func calls(of executionId: String) async throws -> [RecordedCall] {
        try await store.read { db in try Self.calls(db, executionId: executionId, sealing: sealing) }
    }

    static func calls(_ db: Database, executionId: String, sealing: SealedColumn) throws -> [RecordedCall] {
        try Row.fetchAll(
            db, sql: "SELECT callId, request, outcome FROM callRecord WHERE executionId = ? ORDER BY position",
            arguments: [executionId]
        ).map { row in
            let callId: String = row["callId"]
            let identity = Self.identity(executionId, callId)
            let request = try WireCodec.decodeStored(
                CallRequest.self, from: try sealing.reveal(row["request"], boundTo: identity + ":request"))
            let outcome = try (row["outcome"] as String?).map { stored in
                try WireCodec.decodeStored(RecordedOutcome.self, from: try sealing.reveal(stored, boundTo: identity))
            }
            return RecordedCall(call: ExecutionCall(id: callId, request: request), outcome: outcome)
        }
    }

    /// Commits one round of the execution in a single transaction: the answers of the previous
    /// round's calls, the trace steps decided from them, and the side-effecting calls about to go
    /// out (answer still missing). Nothing acts on an answer before this commit: the next calls
    /// leave, and the ending is carried out, only after it.
    func recordRound(
        _ executionId: String, answers: [(ExecutionCall, RecordedOutcome)], starting calls: [ExecutionCall],
        steps: [ExecutionStep], trigger: String?, at now: Date
    ) async throws {
        let answered = try answers.map { call, outcome in
            let identity = Self.identity(executionId, call.id)
            return SealedAnswer(
                call: call, request: try sealing.seal(Self.json(call.request), boundTo: identity + ":request"),
                outcome: try sealing.seal(Self.json(outcome), boundTo: identity), timing: outcome)
        }
        let sealed = try calls.map { call in
            (call, try sealing.seal(Self.json(call.request), boundTo: Self.identity(executionId, call.id) + ":request"))
        }
        try await store.write { db in
            for answer in answered { try Self.upsert(db, answer, executionId: executionId) }
            for step in steps { try step.upsert(db) }
            if let trigger {
                try db.execute(sql: "UPDATE execution SET trigger = ? WHERE id = ?", arguments: [trigger, executionId])
            }
            for (call, request) in sealed {
                try db.execute(
                    sql: """
                        INSERT INTO callRecord (executionId, callId, position, kind, request, startedAt)
                        VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM callRecord WHERE executionId = ?), ?, ?, ?)
                        ON CONFLICT(executionId, callId) DO NOTHING
                        """,
                    arguments: [executionId, call.id, executionId, call.request.kind, request, now.timeIntervalSince1970])
            }
        }
    }

    private struct SealedAnswer: Sendable {
        var call: ExecutionCall
        var request: String
        var outcome: String
        var timing: RecordedOutcome
    }

    /// Records a call's answer. An answer already recorded stays: the execution acted on it.
    private static func upsert(_ db: Database, _ answer: SealedAnswer, executionId: String) throws {
        try db.execute(
            sql: """
                INSERT INTO callRecord (executionId, callId, position, kind, request, outcome, startedAt, recordedAt)
                VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM callRecord WHERE executionId = ?), ?, ?, ?, ?, ?)
                ON CONFLICT(executionId, callId) DO UPDATE SET outcome = excluded.outcome, recordedAt = excluded.recordedAt
                WHERE callRecord.outcome IS NULL
                """,
            arguments: [
                executionId, answer.call.id, executionId, answer.call.request.kind, answer.request, answer.outcome,
                answer.timing.startedAt.timeIntervalSince1970, answer.timing.finishedAt.timeIntervalSince1970,
            ])
    }

    /// Records that an execution waiting for approvals goes on: the core asks them again.
    static func recordResumption(_ db: Database, executionId: String, sealing: SealedColumn, at now: Date) throws {
        let count = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM callRecord WHERE executionId = ? AND kind = 'resume'", arguments: [executionId]) ?? 0
        let id = DecisionWalk.resumeId(executionId, count + 1)
        let identity = Self.identity(executionId, id)
        let outcome = RecordedOutcome(outcome: .done, startedAt: now, finishedAt: now)
        try db.execute(
            sql: """
                INSERT INTO callRecord (executionId, callId, position, kind, request, outcome, startedAt, recordedAt)
                VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM callRecord WHERE executionId = ?), 'resume', ?, ?, ?, ?)
                ON CONFLICT(executionId, callId) DO NOTHING
                """,
            arguments: [
                executionId, id, executionId, try sealing.seal(json(CallRequest.clock), boundTo: identity + ":request"),
                try sealing.seal(json(outcome), boundTo: identity), now.timeIntervalSince1970, now.timeIntervalSince1970,
            ])
    }

    func recordInput(_ executionId: String, _ input: ExecutionInput) async throws {
        let sealed = try sealing.seal(Self.json(input), boundTo: "input:\(executionId)")
        try await store.write { db in
            try db.execute(
                sql: "INSERT INTO executionInput (executionId, input) VALUES (?, ?) ON CONFLICT(executionId) DO NOTHING",
                arguments: [executionId, sealed])
        }
    }

    func input(of executionId: String) async throws -> ExecutionInput? {
        try await store.read { db in
            guard let stored = try String.fetchOne(
                db, sql: "SELECT input FROM executionInput WHERE executionId = ?", arguments: [executionId])
            else { return nil }
            return try WireCodec.decodeStored(
                ExecutionInput.self, from: try sealing.reveal(stored, boundTo: "input:\(executionId)"))
        }
    }

    static func identity(_ executionId: String, _ callId: String) -> String { "call:\(executionId):\(callId)" }

    static func json(_ value: some Encodable) throws -> String {
        try WireCodec.encodeText(value)
    }
}
