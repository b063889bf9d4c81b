import Foundation
import GRDB

/// Prunes the custody tables every service database holds, a small batch per call so a sweep
/// never holds the write lock long enough to delay a turn. Pending inbox rows and unacknowledged
/// outbox rows are never touched: they are work still owed.
public enum CustodyRetention {
    /// Deletes up to `limit` rows of each table past its window; returns how many in all.
    public static func prune(_ db: Database, _ cutoffs: RetentionCutoffs, limit: Int) throws -> Int {
        var removed = 0
        if let cutoff = cutoffs.cutoff(.dedup) {
            try db.execute(
                sql: """
                    DELETE FROM inboxMessage WHERE messageId IN (
                        SELECT messageId FROM inboxMessage WHERE state = 'processed' AND processedAt < ? LIMIT ?)
                    """,
                arguments: [cutoff.timeIntervalSince1970, limit])
            removed += db.changesCount
        }
        if let cutoff = cutoffs.cutoff(.custody) {
            try db.execute(
                sql: """
                    DELETE FROM outboxMessage WHERE id IN (
                        SELECT id FROM outboxMessage WHERE ackedAt IS NOT NULL AND ackedAt < ? LIMIT ?)
                    """,
                arguments: [cutoff.timeIntervalSince1970, limit])
            removed += db.changesCount
            try db.execute(
                sql: "DELETE FROM deadLetter WHERE id IN (SELECT id FROM deadLetter WHERE createdAt < ? LIMIT ?)",
                arguments: [cutoff.timeIntervalSince1970, limit])
            removed += db.changesCount
        }
        if let cutoff = cutoffs.cutoff(.replyCache) {
            try db.execute(
                sql: """
                    DELETE FROM rpcReply WHERE requestId IN (
                        SELECT requestId FROM rpcReply WHERE createdAt < ? LIMIT ?)
                    """,
                arguments: [cutoff.timeIntervalSince1970, limit])
            removed += db.changesCount
        }
        return removed
    }
}
