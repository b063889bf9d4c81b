import GRDB

/// The tables every service uses to take and hand over custody of bus messages.
///
/// Migrations describe the past in string literals and are never edited once shipped.
enum CustodyTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("custody-v1") { db in
            // A row here means this service has committed the message; the primary key is the
            // deduplication constraint. The payload is dropped once processed so transient
            // content (which may hold personal data) does not outlive its processing.
            try db.execute(sql: """
                CREATE TABLE inboxMessage (
                    messageId TEXT PRIMARY KEY NOT NULL,
                    source TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload BLOB,
                    receivedAt DOUBLE NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'processed')),
                    processedAt DOUBLE
                );
                CREATE INDEX inboxMessage_pending ON inboxMessage(state, receivedAt);

                CREATE TABLE outboxMessage (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    messageId TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload BLOB,
                    createdAt DOUBLE NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    nextAttemptAt DOUBLE NOT NULL,
                    lastError TEXT,
                    ackedAt DOUBLE,
                    UNIQUE (messageId, destination)
                );
                CREATE INDEX outboxMessage_due ON outboxMessage(ackedAt, nextAttemptAt);

                CREATE TABLE deadLetter (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    messageId TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload BLOB,
                    reason TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL
                );

                CREATE TABLE rpcReply (
                    requestId TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    reply BLOB NOT NULL,
                    createdAt DOUBLE NOT NULL
                );
                """)
        }
        migrator.registerMigration("custody-v2-deadlines") { db in
            // A reply for one waiting caller is worth sending only until that caller's deadline.
            try db.execute(sql: "ALTER TABLE outboxMessage ADD COLUMN expiresAt DOUBLE")
        }
    }
}
