import Foundation
import GRDB
import LoomConfig
import LoomContract
import LoomStore

/// The tool executor's own record store (accounts, contacts, cases, orders, …), seeded from
/// `records.yaml` the first time the service starts, and the ledger of side-effecting calls,
/// whose outcomes are sealed with the tools' data key (`RecordStore+Ledger.swift`).
struct RecordStore: Sendable {
    let store: ServiceDatabase
    let outcomes: SealedColumn

    static func open(directory: URL, seed: RecordStoreSeed, outcomes: SealedColumn) throws -> RecordStore {
        let records = RecordStore(
            store: try ServiceDatabase.open(
                directory: directory, service: "tools", sealing: outcomes, migrations: register),
            outcomes: outcomes)
        try records.seedIfEmpty(seed)
        try records.sealEarlierOutcomes()
        return records
    }

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("tools-v1") { db in
            try db.execute(sql: """
                CREATE TABLE record (
                    objectType TEXT NOT NULL,
                    id TEXT NOT NULL,
                    fields TEXT NOT NULL,
                    updatedAt DOUBLE NOT NULL,
                    PRIMARY KEY (objectType, id)
                );
                """)
        }
        migrator.registerMigration("tools-v2-actions") { db in
            try db.execute(sql: """
                CREATE TABLE note (
                    id TEXT PRIMARY KEY NOT NULL,
                    objectType TEXT NOT NULL,
                    recordId TEXT NOT NULL,
                    text TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL
                );
                CREATE INDEX note_record ON note(objectType, recordId);
                -- The outcome of every side-effecting call, by its idempotency key: a repeat gets
                -- this instead of acting again.
                CREATE TABLE toolCall (
                    idempotencyKey TEXT PRIMARY KEY NOT NULL,
                    capability TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL
                );
                """)
        }
        migrator.registerMigration("tools-v3-drafts") { db in
            // Messages `send_email` composed in draft mode, sealed like outcomes.
            try db.execute(sql: """
                CREATE TABLE emailDraft (
                    id TEXT PRIMARY KEY NOT NULL,
                    capability TEXT NOT NULL,
                    message TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL
                );
                """)
        }
    }

    private func seedIfEmpty(_ seed: RecordStoreSeed) throws {
        try store.writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record") == 0 else { return }
            for (type, records) in seed.records {
                for fields in records {
                    guard let id = fields["id"]?.stringValue else { continue }
                    try db.execute(
                        sql: "INSERT INTO record (objectType, id, fields, updatedAt) VALUES (?, ?, ?, ?)",
                        arguments: [type, id, try WireCodec.encodeText(fields), Date().timeIntervalSince1970])
                }
            }
        }
    }

    func get(_ request: RecordGetRequest) async throws -> RecordGetResult {
        let json = try await store.read { db in
            try String.fetchOne(
                db, sql: "SELECT fields FROM record WHERE objectType = ? AND id = ?", arguments: [request.objectType, request.recordId])
        }
        let fields = try json.map { try WireCodec.decodeStored([String: JSONValue].self, from: $0) }
        return RecordGetResult(objectType: request.objectType, recordId: request.recordId, fields: fields)
    }
}
