import Foundation
import GRDB
import LoomContract
import LoomStore

/// Message rows with their bodies sealed at rest: written sealed, bound to the message id, and
/// opened for readers, so inbound texts and unmasked replies are never on disk in the clear.
extension RouterDatabase {
    /// What a body reads as once the retention sweep removed it.
    static let removedBody = "[removed after the retention period]"

    func insert(_ message: InteractionMessage, _ db: Database) throws {
        var sealed = message
        sealed.body = try bodies.seal(message.body, boundTo: message.id)
        try sealed.insert(db)
    }

    /// Saves what a decision changes on a message; the body is never rewritten.
    func updateDelivery(_ message: InteractionMessage, _ db: Database) throws {
        try message.update(db, columns: ["deliveryStatus", "deliveryDetail", "updatedAt"])
    }

    func messages(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> [InteractionMessage] {
        try InteractionMessage.fetchAll(db, sql: sql, arguments: arguments).map(opened)
    }

    func message(
        _ db: Database, sql: String, arguments: StatementArguments = StatementArguments()
    ) throws -> InteractionMessage? {
        try InteractionMessage.fetchOne(db, sql: sql, arguments: arguments).map(opened)
    }

    func message(_ db: Database, id: String) throws -> InteractionMessage? {
        try InteractionMessage.fetchOne(db, key: id).map(opened)
    }

    /// A body read straight from a row that also selected `id`.
    func body(of row: Row) throws -> String {
        try bodies.reveal(row["body"], boundTo: row["id"])
    }

    private func opened(_ message: InteractionMessage) throws -> InteractionMessage {
        var message = message
        message.body = try bodies.reveal(message.body, boundTo: message.id)
        return message
    }

    /// Seals bodies written before bodies were sealed, so an upgraded database holds none in the clear.
    func sealEarlierBodies() throws {
        try store.writer.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, body FROM message WHERE bodyRemovedAt IS NULL AND body NOT LIKE ?",
                arguments: [SealedColumn.prefix + "%"])
            for row in rows {
                let id: String = row["id"]
                try db.execute(
                    sql: "UPDATE message SET body = ? WHERE id = ?",
                    arguments: [try bodies.seal(row["body"], boundTo: id), id])
            }
        }
    }

    /// Replaces up to `limit` bodies written before `cutoff` by the marker, leaving replies that
    /// still wait for review or delivery; returns how many it removed.
    func removeBodies(before cutoff: Date, now: Date, limit: Int) async throws -> Int {
        try await store.write { db in
            try db.execute(
                sql: """
                    UPDATE message SET body = ?, bodyRemovedAt = ?
                    WHERE rowid IN (
                        SELECT rowid FROM message
                        WHERE bodyRemovedAt IS NULL AND createdAt < ? AND deliveryStatus NOT IN ('draft', 'queued')
                        ORDER BY createdAt LIMIT ?)
                    """,
                arguments: [Self.removedBody, now.timeIntervalSince1970, cutoff.timeIntervalSince1970, limit])
            return db.changesCount
        }
    }
}

extension RouterDatabase {
    /// The session's last `count` messages as its caller saw them, oldest first: what came in,
    /// and the replies that went out (not drafts or suppressed ones).
    func transcriptTail(_ db: Database, sessionId: String, count: Int) throws -> [CallerConversation.Message] {
        guard count > 0 else { return [] }
        return try messages(
            db,
            sql: """
                SELECT * FROM message WHERE sessionId = ?
                  AND (direction = 'inbound' OR deliveryStatus IN ('sent', 'queued'))
                ORDER BY createdAt DESC, rowid DESC LIMIT ?
                """,
            arguments: [sessionId, count]
        ).reversed().map { .init(role: $0.direction == .inbound ? .user : .assistant, text: $0.body) }
    }
}
