import Foundation
import GRDB

/// Stored replies of request/reply calls, so a repeated request id gets the first answer
/// instead of doing the work again.
public enum ReplyCache {
    public static func reply(_ db: Database, requestId: String) throws -> Data? {
        try Data.fetchOne(
            try db.cachedStatement(sql: "SELECT loom_open(reply, 'reply:' || requestId) FROM rpcReply WHERE requestId = ?"),
            arguments: [requestId])
    }

    public static func store(_ db: Database, requestId: String, kind: String, reply: Data, at now: Date = Date()) throws {
        try db.executeCached(
            sql: """
                INSERT INTO rpcReply (requestId, kind, reply, createdAt) VALUES (?, ?, loom_seal(?, 'reply:' || ?), ?)
                ON CONFLICT(requestId) DO NOTHING
                """,
            arguments: [requestId, kind, reply, requestId, now.timeIntervalSince1970])
    }
}
