import Foundation
import GRDB
import LoomContract
import LoomStore

/// The router's records: sessions and the messages that came in and went out. Message bodies
/// are sealed with the router's data key (`RouterDatabase+Messages.swift`).
struct RouterDatabase: Sendable {
    let store: ServiceDatabase
    let bodies: SealedColumn

    static func open(directory: URL, bodies: SealedColumn) throws -> RouterDatabase {
        let database = RouterDatabase(
            store: try ServiceDatabase.open(
                directory: directory, service: "router", sealing: bodies, migrations: register),
            bodies: bodies)
        try database.sealEarlierBodies()
        return database
    }

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("router-v1") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id TEXT PRIMARY KEY NOT NULL,
                    channel TEXT NOT NULL,
                    endpoint TEXT NOT NULL,
                    continuityKey TEXT NOT NULL,
                    participant TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
                    createdAt DOUBLE NOT NULL,
                    lastActivityAt DOUBLE NOT NULL,
                    turnCount INTEGER NOT NULL,
                    rolloverReason TEXT
                );
                -- At most one active session per thread of a channel endpoint and agent.
                CREATE UNIQUE INDEX session_active ON session(channel, endpoint, continuityKey, agent) WHERE status = 'active';

                CREATE TABLE message (
                    id TEXT PRIMARY KEY NOT NULL,
                    sessionId TEXT NOT NULL REFERENCES session(id),
                    executionId TEXT,
                    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
                    channel TEXT NOT NULL,
                    externalMessageId TEXT,
                    sender TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    body TEXT NOT NULL,
                    attachments TEXT NOT NULL,
                    deliveryStatus TEXT NOT NULL,
                    -- For outbound replies: how the execution ended, so a repeated request gets the same answer.
                    executionStatus TEXT,
                    createdAt DOUBLE NOT NULL,
                    updatedAt DOUBLE NOT NULL
                );
                CREATE INDEX message_session ON message(sessionId, createdAt);
                """)
        }
        migrator.registerMigration("router-v2-delivery") { db in
            try db.execute(sql: """
                ALTER TABLE message ADD COLUMN deliveryPolicy TEXT;
                ALTER TABLE message ADD COLUMN deliveryDetail TEXT;
                -- Inbound only: what the channel needs to answer in the same place (JSON object).
                ALTER TABLE message ADD COLUMN replyContext TEXT;
                CREATE INDEX message_execution ON message(executionId, direction);
                CREATE INDEX message_held ON message(deliveryStatus) WHERE deliveryStatus = 'draft';
                """)
        }
        migrator.registerMigration("router-v3-body-retention") { db in
            try db.execute(sql: """
                -- When the body was replaced by the retention marker; the row itself stays.
                ALTER TABLE message ADD COLUMN bodyRemovedAt DOUBLE;
                CREATE INDEX message_body_age ON message(createdAt) WHERE bodyRemovedAt IS NULL;
                """)
        }
    }
}

extension InteractionSession: StoredRecord {
    public static var databaseTableName: String { "session" }
}

extension InteractionMessage: StoredRecord {
    public static var databaseTableName: String { "message" }
}
