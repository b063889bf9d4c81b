import Foundation
import GRDB
import LoomContract
import LoomStore

/// The orchestrator's records: executions and their steps.
struct OrchestratorDatabase: Sendable {
    let store: ServiceDatabase
    /// Seals streamed pieces of answers (unmasked text) at rest (`ExecutionEventLog`).
    let sealing: SealedColumn
    /// Model calls' messages, each stored once (``OrchestratorDatabase/StoredRequest``).
    let content: ContentStore

    /// - Parameter sealing: seals custody payloads (requests and unmasked replies in transit) at rest.
    static func open(directory: URL, sealing: SealedColumn) throws -> OrchestratorDatabase {
        OrchestratorDatabase(
            store: try ServiceDatabase.open(
                directory: directory, service: "orchestrator", sealing: sealing, migrations: register),
            sealing: sealing, content: ContentStore(sealing: sealing))
    }

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("orchestrator-v1") { db in
            try db.execute(sql: """
                CREATE TABLE execution (
                    id TEXT PRIMARY KEY NOT NULL,
                    agent TEXT NOT NULL,
                    sessionId TEXT,
                    channel TEXT NOT NULL,
                    strategy TEXT NOT NULL,
                    turnId TEXT NOT NULL,
                    status TEXT NOT NULL,
                    trigger TEXT NOT NULL,
                    result TEXT,
                    error TEXT,
                    usage TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL,
                    startedAt DOUBLE,
                    completedAt DOUBLE
                );
                CREATE INDEX execution_session ON execution(sessionId, createdAt);
                CREATE INDEX execution_status ON execution(status);

                CREATE TABLE step (
                    executionId TEXT NOT NULL REFERENCES execution(id),
                    sequence INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    content TEXT NOT NULL,
                    capability TEXT,
                    startedAt DOUBLE NOT NULL,
                    durationMs DOUBLE NOT NULL,
                    usage TEXT,
                    PRIMARY KEY (executionId, sequence)
                );
                """)
        }
        migrator.registerMigration("orchestrator-v2-events") { db in
            try db.execute(sql: """
                CREATE TABLE executionEvent (
                    executionId TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    status TEXT,
                    text TEXT,
                    createdAt DOUBLE NOT NULL,
                    PRIMARY KEY (executionId, sequence)
                );
                """)
        }
        migrator.registerMigration("orchestrator-v3-absorbed") { db in
            // The execution whose turn answered this one's message too (interrupt, coalesce).
            try db.execute(sql: "ALTER TABLE execution ADD COLUMN absorbedBy TEXT")
        }
        migrator.registerMigration("orchestrator-v4-children") { db in
            try db.execute(sql: """
                ALTER TABLE execution ADD COLUMN parentExecutionId TEXT;
                CREATE INDEX execution_parent ON execution(parentExecutionId) WHERE parentExecutionId IS NOT NULL;
                """)
        }
        migrator.registerMigration("orchestrator-v5-summaries") { db in
            // summaryBuffer memory: turns outside the verbatim window, condensed (masked text).
            try db.execute(sql: """
                CREATE TABLE sessionSummary (
                    sessionId TEXT PRIMARY KEY NOT NULL,
                    summary TEXT NOT NULL,
                    coveredCount INTEGER NOT NULL,
                    updatedAt DOUBLE NOT NULL
                );
                """)
        }
        migrator.registerMigration("orchestrator-v6-step-provider") { db in
            try db.execute(sql: "ALTER TABLE step ADD COLUMN provider TEXT")
        }
        migrator.registerMigration("orchestrator-v7-human-gates") { db in
            try db.execute(sql: """
                CREATE TABLE executionPause (
                    executionId TEXT PRIMARY KEY NOT NULL REFERENCES execution(id),
                    approvalIds TEXT NOT NULL,
                    pausedAt DOUBLE NOT NULL
                );
                CREATE TABLE confirmation (
                    id TEXT PRIMARY KEY NOT NULL,
                    sessionId TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    executionId TEXT NOT NULL,
                    callId TEXT NOT NULL,
                    capability TEXT NOT NULL,
                    messages TEXT NOT NULL,
                    status TEXT NOT NULL,
                    answeredBy TEXT,
                    createdAt DOUBLE NOT NULL
                );
                CREATE INDEX confirmation_session ON confirmation(sessionId, status);
                """)
        }
        migrator.registerMigration("orchestrator-v8-principal") { db in
            // Who started an execution over HTTP: the only caller besides operators who may read it.
            try db.execute(sql: "ALTER TABLE execution ADD COLUMN principal TEXT")
        }
        migrator.registerMigration("orchestrator-v9-history") { db in
            // The execution's history: every call it made and the answer it acted on, sealed
            // (answers hold originals: unmasked replies and tool arguments). Re-driving reads
            // it and sends only the calls whose answers are missing.
            try db.execute(sql: """
                CREATE TABLE callRecord (
                    executionId TEXT NOT NULL REFERENCES execution(id),
                    callId TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    request TEXT NOT NULL,
                    outcome TEXT,
                    startedAt DOUBLE NOT NULL,
                    recordedAt DOUBLE,
                    PRIMARY KEY (executionId, callId)
                );
                CREATE TABLE executionInput (
                    executionId TEXT PRIMARY KEY NOT NULL REFERENCES execution(id),
                    input TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("orchestrator-v10-content") { db in
            try ContentStore.createTable(db)
        }
    }
}

extension AgentExecution: StoredRecord {
    public static var databaseTableName: String { "execution" }
}

extension ExecutionStep: StoredRecord {
    public static var databaseTableName: String { "step" }
}
