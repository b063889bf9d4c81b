import Foundation
import GRDB

/// Sending side of a custody hop: rows stay here until the destination acknowledges them.
public struct OutboxRow: Sendable, Equatable {
    public var id: Int64
    public var messageId: String
    public var destination: String
    public var kind: String
    public var payload: Data
    public var attempts: Int
    /// After this the message is dead-lettered instead of sent: its only reader has gone.
    public var expiresAt: Date?
}

extension Database {
    /// Queues a message for a destination, idempotently: the same message id for the same
    /// destination is queued once, however often a crash makes the caller repeat itself.
    /// - Parameter expiresAt: when nobody will read the message any more (a waiting caller's
    ///   deadline); nil keeps it until the destination takes it.
    @discardableResult
    public func enqueueOutbox(
        messageId: String, destination: String, kind: String, payload: Data, expiresAt: Date? = nil, at now: Date = Date()
    ) throws -> Bool {
        try executeCached(
            sql: """
                INSERT INTO outboxMessage (messageId, destination, kind, payload, createdAt, nextAttemptAt, expiresAt)
                VALUES (?, ?, ?, loom_seal(?, 'outbox:' || ?), ?, ?, ?) ON CONFLICT(messageId, destination) DO NOTHING
                """,
            arguments: [
                messageId, destination, kind, payload, messageId, now.timeIntervalSince1970, now.timeIntervalSince1970,
                expiresAt?.timeIntervalSince1970,
            ])
        return changesCount == 1
    }
}

/// Queries the relay runs over the outbox.
public enum OutboxQueries {
    public static func due(_ db: Database, now: Date, limit: Int) throws -> [OutboxRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, messageId, destination, kind, loom_open(payload, 'outbox:' || messageId) AS payload, attempts,
                    expiresAt
                FROM outboxMessage
                WHERE ackedAt IS NULL AND nextAttemptAt <= ? ORDER BY nextAttemptAt, id LIMIT ?
                """,
            arguments: [now.timeIntervalSince1970, limit]
        ).map {
            OutboxRow(
                id: $0["id"], messageId: $0["messageId"], destination: $0["destination"], kind: $0["kind"],
                payload: $0["payload"] ?? Data(), attempts: $0["attempts"],
                expiresAt: ($0["expiresAt"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// When the next unacknowledged row becomes due, if any, leaving out the rows the relay
    /// already has in flight (`excluding`, by row id).
    public static func nextDue(_ db: Database, excluding ids: Set<Int64> = []) throws -> Date? {
        let filter = ids.isEmpty ? "" : " AND id NOT IN (\(ids.map(String.init).joined(separator: ",")))"
        return try Double.fetchOne(db, sql: "SELECT MIN(nextAttemptAt) FROM outboxMessage WHERE ackedAt IS NULL" + filter)
            .map(Date.init(timeIntervalSince1970:))
    }

    /// Writes an attempt the relay made. `attempts` is the relay's own count, which may be ahead
    /// of the stored one (first sends are counted in memory only); the stored count never goes back.
    public static func markAttempt(_ db: Database, id: Int64, attempts: Int, nextAttemptAt: Date, error: String?) throws {
        try db.executeCached(
            sql: "UPDATE outboxMessage SET attempts = MAX(attempts + 1, ?), nextAttemptAt = ?, lastError = ? WHERE id = ?",
            arguments: [attempts, nextAttemptAt.timeIntervalSince1970, error, id])
    }

    /// Releases custody; the payload is dropped because the destination now owns the message.
    /// A row addressed to `any:<role>` is released by whichever instance of that role
    /// acknowledged it.
    /// - Parameter anyDestination: the `any:<role>` rows the acknowledging peer may settle
    ///   (`any:ingress` for an ingress instance; a LIKE pattern), nil for none: a peer of
    ///   another role cannot acknowledge what was meant for any ingress.
    @discardableResult
    public static func markAcked(
        _ db: Database, messageId: String, destination: String, anyDestination: String? = nil, at now: Date = Date()
    ) throws -> Bool {
        try db.executeCached(
            sql: """
                UPDATE outboxMessage SET ackedAt = ?, payload = NULL
                WHERE messageId = ? AND (destination = ? OR destination LIKE ?) AND ackedAt IS NULL
                """,
            arguments: [now.timeIntervalSince1970, messageId, destination, anyDestination ?? ""])
        return db.changesCount == 1
    }

    /// Moves a permanently rejected message to the dead-letter table.
    @discardableResult
    public static func deadLetter(
        _ db: Database, messageId: String, destination: String, anyDestination: String? = nil, reason: String,
        at now: Date = Date()
    ) throws -> Bool {
        try db.executeCached(
            sql: """
                INSERT INTO deadLetter (messageId, destination, kind, payload, reason, createdAt)
                SELECT messageId, destination, kind, payload, ?, ? FROM outboxMessage
                WHERE messageId = ? AND (destination = ? OR destination LIKE ?) AND ackedAt IS NULL
                """,
            arguments: [reason, now.timeIntervalSince1970, messageId, destination, anyDestination ?? ""])
        return try markAcked(db, messageId: messageId, destination: destination, anyDestination: anyDestination, at: now)
    }

    /// Makes every unacknowledged row for a destination due now (used when a peer reconnects and at start-up).
    public static func makeDueNow(_ db: Database, destination: String? = nil, now: Date = Date()) throws {
        if let destination {
            try db.executeCached(
                sql: "UPDATE outboxMessage SET nextAttemptAt = ? WHERE ackedAt IS NULL AND destination = ?",
                arguments: [now.timeIntervalSince1970, destination])
        } else {
            try db.executeCached(sql: "UPDATE outboxMessage SET nextAttemptAt = ? WHERE ackedAt IS NULL", arguments: [now.timeIntervalSince1970])
        }
    }

    public static func unackedCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outboxMessage WHERE ackedAt IS NULL") ?? 0
    }

    public static func deadLetterCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deadLetter") ?? 0
    }

    /// The custody figures every service reports in its health answer.
    public static func healthCounters(_ db: Database) throws -> [String: Int] {
        ["outbox.unacked": try unackedCount(db), "outbox.deadLetters": try deadLetterCount(db)]
    }
}
