import Foundation
import GRDB

/// Receiving side of a custody hop. Call these inside the service's own transaction so the
/// dedup row, the service's records and its outbox rows commit together.
extension Database {
    /// Records a delivered message; returns false when it was already recorded (a duplicate).
    public func recordInbox(messageId: String, source: String, kind: String, payload: Data?, at now: Date = Date()) throws -> Bool {
        try executeCached(
            sql: """
                INSERT INTO inboxMessage (messageId, source, kind, payload, receivedAt, state)
                VALUES (?, ?, ?, loom_seal(?, 'inbox:' || ?), ?, 'pending') ON CONFLICT(messageId) DO NOTHING
                """,
            arguments: [messageId, source, kind, payload, messageId, now.timeIntervalSince1970])
        return changesCount == 1
    }

    /// Marks a message processed and drops its payload.
    public func markInboxProcessed(messageId: String, at now: Date = Date()) throws {
        try executeCached(
            sql: "UPDATE inboxMessage SET state = 'processed', processedAt = ?, payload = NULL WHERE messageId = ?",
            arguments: [now.timeIntervalSince1970, messageId])
    }

    /// Messages committed but not yet processed, oldest first (what a restart must resume).
    public func pendingInbox(kind: String, limit: Int = 500) throws -> [PendingInboxMessage] {
        try Row.fetchAll(
            self,
            sql: """
                SELECT messageId, source, loom_open(payload, 'inbox:' || messageId) AS payload, receivedAt
                FROM inboxMessage
                WHERE state = 'pending' AND kind = ? ORDER BY receivedAt LIMIT ?
                """,
            arguments: [kind, limit]
        ).map {
            PendingInboxMessage(
                messageId: $0["messageId"], source: $0["source"], payload: $0["payload"],
                receivedAt: Date(timeIntervalSince1970: $0["receivedAt"]))
        }
    }
}

public struct PendingInboxMessage: Sendable {
    public var messageId: String
    public var source: String
    public var payload: Data?
    public var receivedAt: Date
}

extension Database {
    /// Every message committed but not yet processed, oldest first, without payloads: cheap
    /// enough to read on each wake however many wait.
    public func pendingInboxEntries(kind: String) throws -> [PendingInboxEntry] {
        try Row.fetchAll(
            self,
            sql: "SELECT messageId, source, receivedAt FROM inboxMessage WHERE state = 'pending' AND kind = ? ORDER BY receivedAt",
            arguments: [kind]
        ).map { PendingInboxEntry(messageId: $0["messageId"], source: $0["source"], receivedAt: Date(timeIntervalSince1970: $0["receivedAt"])) }
    }

    /// The payload of one pending message (opened when sealed).
    public func inboxPayload(messageId: String) throws -> Data? {
        try Data.fetchOne(
            self,
            sql: "SELECT loom_open(payload, 'inbox:' || messageId) FROM inboxMessage WHERE messageId = ? AND state = 'pending'",
            arguments: [messageId])
    }
}

public struct PendingInboxEntry: Sendable {
    public var messageId: String
    public var source: String
    public var receivedAt: Date
}
