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
        let (sealing, content) = (self.sealing, self.content)
        return try await store.read { db in
            try Self.calls(db, executionId: executionId, sealing: sealing, content: content)
        }
    }

    static func calls(
        _ db: Database, executionId: String, sealing: SealedColumn, content: ContentStore
    ) throws -> [RecordedCall] {
        try Row.fetchAll(
            db, sql: "SELECT callId, request, outcome FROM callRecord WHERE executionId = ? ORDER BY position",
            arguments: [executionId]
        ).map { row in
            let callId: String = row["callId"]
            let identity = Self.identity(executionId, callId)
            let request = try Self.request(
                db, executionId: executionId, callId: callId, stored: row["request"], sealing: sealing,
                content: content)
            let outcome = try (row["outcome"] as String?).map { stored in
                try WireCodec.decodeStored(RecordedOutcome.self, from: try sealing.reveal(stored, boundTo: identity))
            }
            return RecordedCall(call: ExecutionCall(id: callId, request: request), outcome: outcome)
        }
    }

    /// What an execution learned since its last commit: the answers of its calls, the trace
    /// steps decided from them, and the side-effecting calls about to go out (answer still
    /// missing), sealed and ready to be written in one transaction.
    struct SealedRound: Sendable {
        fileprivate var executionId: String
        fileprivate var answers: [SealedAnswer]
        fileprivate var starting: [(call: ExecutionCall, request: StoredRequest)]
        fileprivate var content: ContentStore
        fileprivate var sealing: SealedColumn
        fileprivate var steps: [ExecutionStep]
        fileprivate var trigger: String?
        fileprivate var at: Date

        var isEmpty: Bool { answers.isEmpty && starting.isEmpty && steps.isEmpty && trigger == nil }
    }

    func seal(
        _ executionId: String, answers: [(ExecutionCall, RecordedOutcome)], starting calls: [ExecutionCall],
        steps: [ExecutionStep], trigger: String?, at now: Date
    ) throws -> SealedRound {
        let answered = try answers.map { call, outcome in
            let identity = Self.identity(executionId, call.id)
            return SealedAnswer(
                call: call, request: try storedRequest(executionId, call),
                outcome: try sealing.seal(Self.json(outcome), boundTo: identity), timing: outcome)
        }
        let starting = try calls.map { call in (call, try storedRequest(executionId, call)) }
        return SealedRound(
            executionId: executionId, answers: answered, starting: starting, content: content, sealing: sealing,
            steps: steps, trigger: trigger, at: now)
    }

    /// Commits a round on its own (before side-effecting calls go out).
    func record(_ round: SealedRound) async throws {
        try await store.write { db in try Self.write(db, round) }
    }

    /// Writes a round inside the caller's transaction (the ending's, for the last round).
    static func write(_ db: Database, _ round: SealedRound) throws {
        let executionId = round.executionId
        for answer in round.answers { try upsert(db, answer, executionId: executionId, round: round) }
        for step in round.steps { try step.write(db) }
        if let trigger = round.trigger {
            try db.executeCached(
                sql: "UPDATE execution SET trigger = ? WHERE id = ?", arguments: [trigger, executionId])
        }
        for (call, stored) in round.starting {
            let request = try column(db, stored, sealing: round.sealing, content: round.content)
            try db.executeCached(
                sql: """
                    INSERT INTO callRecord (executionId, callId, position, kind, request, startedAt)
                    VALUES (
                        ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM callRecord WHERE executionId = ?), ?, ?, ?)
                    ON CONFLICT(executionId, callId) DO NOTHING
                    """,
                arguments: [
                    executionId, call.id, executionId, call.request.kind, request, round.at.timeIntervalSince1970,
                ])
        }
    }

    fileprivate struct SealedAnswer: Sendable {
        var call: ExecutionCall
        var request: StoredRequest
        var outcome: String
        var timing: RecordedOutcome
    }

    /// Records a call's answer. An answer already recorded stays: the execution acted on it.
    fileprivate static func upsert(
        _ db: Database, _ answer: SealedAnswer, executionId: String, round: SealedRound
    ) throws {
        let request = try column(db, answer.request, sealing: round.sealing, content: round.content)
        try db.executeCached(
            sql: """
                INSERT INTO callRecord (executionId, callId, position, kind, request, outcome, startedAt, recordedAt)
                VALUES (
                    ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM callRecord WHERE executionId = ?), ?, ?, ?, ?, ?)
                ON CONFLICT(executionId, callId) DO UPDATE SET
                    outcome = excluded.outcome, recordedAt = excluded.recordedAt
                WHERE callRecord.outcome IS NULL
                """,
            arguments: [
                executionId, answer.call.id, executionId, answer.call.request.kind, request, answer.outcome,
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
        try db.executeCached(
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
        let sealed = try sealInput(executionId, input)
        try await store.write { db in try Self.writeInput(db, executionId, sealed: sealed) }
    }

    func sealInput(_ executionId: String, _ input: ExecutionInput) throws -> String {
        try sealing.seal(Self.json(input), boundTo: "input:\(executionId)")
    }

    /// The input is written once: driving the execution again keeps the first.
    static func writeInput(_ db: Database, _ executionId: String, sealed: String) throws {
        try db.executeCached(
            sql: "INSERT INTO executionInput (executionId, input) VALUES (?, ?) ON CONFLICT(executionId) DO NOTHING",
            arguments: [executionId, sealed])
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
