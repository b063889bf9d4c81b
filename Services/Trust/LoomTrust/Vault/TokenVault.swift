import Foundation
import GRDB
import LoomStore

/// Where originals live: only in the trust service's own database, sealed with the vault key,
/// found by a keyed fingerprint, per scope and token.
struct TokenVault: Sendable {
    let store: ServiceDatabase
    let cipher: VaultCipher

    static func open(directory: URL, cipher: VaultCipher) throws -> TokenVault {
        let vault = TokenVault(
            store: try ServiceDatabase.open(directory: directory, service: "trust", migrations: { register(&$0) }), cipher: cipher)
        try vault.sealPlaintextEntries()
        try vault.bindSealedEntries()
        return vault
    }

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("trust-v1") { db in
            try db.execute(sql: """
                CREATE TABLE vaultEntry (
                    scope TEXT NOT NULL,
                    token TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    original TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL,
                    PRIMARY KEY (scope, token),
                    UNIQUE (scope, kind, original)
                );
                """)
        }
        migrator.registerMigration("trust-v2-sealed") { db in
            try db.execute(sql: """
                CREATE TABLE sealedEntry (
                    scope TEXT NOT NULL,
                    token TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    sealed BLOB NOT NULL,
                    createdAt DOUBLE NOT NULL,
                    PRIMARY KEY (scope, token),
                    UNIQUE (scope, kind, fingerprint)
                );
                """)
        }
        migrator.registerMigration("trust-v3-bound") { db in
            // 0: sealed before boxes were bound to (scope, token); rebound once at start-up.
            try db.execute(sql: "ALTER TABLE sealedEntry ADD COLUMN bound INTEGER NOT NULL DEFAULT 0")
        }
        AuditLog.register(&migrator)
        ApprovalStore.register(&migrator)
    }

    /// Entries written before the vault was encrypted are sealed and their plaintext removed.
    private func sealPlaintextEntries() throws {
        try store.writer.write { db in
            guard try db.tableExists("vaultEntry") else { return }
            for row in try Row.fetchAll(db, sql: "SELECT scope, token, kind, original, createdAt FROM vaultEntry") {
                let scope: String = row["scope"], kind: String = row["kind"], original: String = row["original"]
                let token: String = row["token"]
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO sealedEntry (scope, token, kind, fingerprint, sealed, createdAt, bound)
                        VALUES (?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: [
                        scope, token, kind, cipher.fingerprint(scope: scope, kind: kind, original: original),
                        try cipher.seal(original, scope: scope, token: token), row["createdAt"] as Double,
                    ])
            }
            try db.execute(sql: "DROP TABLE vaultEntry")
        }
    }

    /// Boxes sealed before the binding are opened once and sealed again with their (scope,
    /// token) as associated data, in one transaction.
    private func bindSealedEntries() throws {
        try store.writer.write { db in
            for row in try Row.fetchAll(db, sql: "SELECT scope, token, sealed FROM sealedEntry WHERE bound = 0") {
                let scope: String = row["scope"], token: String = row["token"]
                let original = try cipher.openUnbound(row["sealed"] as Data)
                try db.execute(
                    sql: "UPDATE sealedEntry SET sealed = ?, bound = 1 WHERE scope = ? AND token = ?",
                    arguments: [try cipher.seal(original, scope: scope, token: token), scope, token])
            }
        }
    }

    /// The token for `original` in `scope`, minting `[KIND_n]` the first time it is seen.
    func token(_ db: Database, scope: String, kind: String, original: String) throws -> String {
        let fingerprint = cipher.fingerprint(scope: scope, kind: kind, original: original)
        if let existing = try String.fetchOne(
            db, sql: "SELECT token FROM sealedEntry WHERE scope = ? AND kind = ? AND fingerprint = ?", arguments: [scope, kind, fingerprint])
        {
            return existing
        }
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sealedEntry WHERE scope = ? AND kind = ?", arguments: [scope, kind]) ?? 0
        let token = "[\(kind)_\(count + 1)]"
        try db.execute(
            sql: "INSERT INTO sealedEntry (scope, token, kind, fingerprint, sealed, createdAt, bound) VALUES (?, ?, ?, ?, ?, ?, 1)",
            arguments: [scope, token, kind, fingerprint, try cipher.seal(original, scope: scope, token: token), Date().timeIntervalSince1970])
        return token
    }

    /// One opened entry and its row, for the index of known values.
    struct OpenedEntry: Sendable {
        var row: Int64
        var token: String
        var kind: String
        var original: String
    }

    /// The entries of `scope` added after row `row`, opened, oldest first.
    func entries(_ db: Database, scope: String, after row: Int64) throws -> [OpenedEntry] {
        try Row.fetchAll(
            db, sql: "SELECT rowid, token, kind, sealed FROM sealedEntry WHERE scope = ? AND rowid > ? ORDER BY rowid",
            arguments: [scope, row]
        ).map { row in
            let token: String = row["token"]
            return OpenedEntry(
                row: row["rowid"], token: token, kind: row["kind"],
                original: try cipher.open(row["sealed"], scope: scope, token: token))
        }
    }

    func original(_ db: Database, scope: String, token: String) throws -> String? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM sealedEntry WHERE scope = ? AND token = ?", arguments: [scope, token])
        else { return nil }
        return try cipher.open(sealed, scope: scope, token: token)
    }
}
