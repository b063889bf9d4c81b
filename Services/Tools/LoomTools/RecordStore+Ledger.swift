import Foundation
import GRDB
import LoomContract
import LoomStore

/// The outcome of every side-effecting call by its idempotency key, sealed at rest and bound
/// to that key: outcomes carry unmasked record fields.
extension RecordStore {
    func recordedOutcome(_ db: Database, idempotencyKey: String) throws -> ToolCallResult? {
        guard let stored = try String.fetchOne(
            db, sql: "SELECT outcome FROM toolCall WHERE idempotencyKey = ?", arguments: [idempotencyKey])
        else { return nil }
        let json = try outcomes.reveal(stored, boundTo: idempotencyKey)
        return try WireCodec.decodeStored(ToolCallResult.self, from: json)
    }

    func record(
        _ outcome: ToolCallResult, _ db: Database, idempotencyKey: String, capability: String, at now: Date = Date()
    ) throws {
        let json = try WireCodec.encodeText(outcome)
        try db.execute(
            sql: "INSERT INTO toolCall (idempotencyKey, capability, outcome, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [
                idempotencyKey, capability, try outcomes.seal(json, boundTo: idempotencyKey), now.timeIntervalSince1970,
            ])
    }

    /// Records the outcome under a key, over anything recorded there before (a command's real
    /// outcome over the "unknown" recorded before it ran).
    func replace(
        _ outcome: ToolCallResult, _ db: Database, idempotencyKey: String, capability: String, at now: Date = Date()
    ) throws {
        let json = try WireCodec.encodeText(outcome)
        try db.execute(
            sql: """
                INSERT INTO toolCall (idempotencyKey, capability, outcome, createdAt) VALUES (?, ?, ?, ?)
                ON CONFLICT (idempotencyKey) DO UPDATE SET outcome = excluded.outcome
                """,
            arguments: [
                idempotencyKey, capability, try outcomes.seal(json, boundTo: idempotencyKey), now.timeIntervalSince1970,
            ])
    }

    /// Drops the entry of a key whose call did nothing, so a retry acts.
    func forget(_ db: Database, idempotencyKey: String) throws {
        try db.execute(sql: "DELETE FROM toolCall WHERE idempotencyKey = ?", arguments: [idempotencyKey])
    }

    /// Seals outcomes recorded before outcomes were sealed.
    func sealEarlierOutcomes() throws {
        try store.writer.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT idempotencyKey, outcome FROM toolCall WHERE outcome NOT LIKE ?",
                arguments: [SealedColumn.prefix + "%"])
            for row in rows {
                let key: String = row["idempotencyKey"]
                try db.execute(
                    sql: "UPDATE toolCall SET outcome = ? WHERE idempotencyKey = ?",
                    arguments: [try outcomes.seal(row["outcome"], boundTo: key), key])
            }
        }
    }

    /// Deletes up to `limit` ledger rows recorded before `cutoff` (past the dedup window, a
    /// repeated key acts again); returns how many.
    func forgetOutcomes(before cutoff: Date, limit: Int) async throws -> Int {
        try await store.write { db in
            try db.execute(
                sql: """
                    DELETE FROM toolCall WHERE rowid IN (
                        SELECT rowid FROM toolCall WHERE createdAt < ? ORDER BY createdAt LIMIT ?)
                    """,
                arguments: [cutoff.timeIntervalSince1970, limit])
            return db.changesCount
        }
    }
}
