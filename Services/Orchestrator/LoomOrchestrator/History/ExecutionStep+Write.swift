import Foundation
import GRDB
import LoomContract
import LoomStore

extension ExecutionStep {
    /// Writes the step, replacing one already at its sequence, through a cached statement: a turn
    /// writes about ten steps, and the record API built and compiled its upsert for each.
    func write(_ db: Database) throws {
        try db.executeCached(
            sql: """
                INSERT INTO step (
                    executionId, sequence, type, content, capability, startedAt, durationMs, usage, provider)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(executionId, sequence) DO UPDATE SET
                    type = excluded.type, content = excluded.content, capability = excluded.capability,
                    startedAt = excluded.startedAt, durationMs = excluded.durationMs, usage = excluded.usage,
                    provider = excluded.provider
                """,
            arguments: [
                executionId, sequence, type.rawValue, content, capability, startedAt.timeIntervalSince1970, durationMs,
                try usage.map { try WireCodec.encodeText($0) }, provider,
            ])
    }
}
