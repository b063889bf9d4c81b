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
        AuditLog.register(&migrator)
        ApprovalStore.register(&migrator)
    }

    /// Entries written before the vault was encrypted are sealed and their plaintext removed.
    private func sealPlaintextEntries() throws {
        try store.writer.write { db in
            guard try db.tableExists("vaultEntry") else { return }
            for row in try Row.fetchAll(db, sql: "SELECT scope, token, kind, original, createdAt FROM vaultEntry") {
                let scope: String = row["scope"], kind: String = row["kind"], original: String = row["original"]
                try db.execute(
                    sql: "INSERT OR IGNORE INTO sealedEntry (scope, token, kind, fingerprint, sealed, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        scope, row["token"] as String, kind, cipher.fingerprint(scope: scope, kind: kind, original: original),
                        try cipher.seal(original), row["createdAt"] as Double,
                    ])
            }
            try db.execute(sql: "DROP TABLE vaultEntry")
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
            sql: "INSERT INTO sealedEntry (scope, token, kind, fingerprint, sealed, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [scope, token, kind, fingerprint, try cipher.seal(original), Date().timeIntervalSince1970])
        return token
    }

    func original(_ db: Database, scope: String, token: String) throws -> String? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM sealedEntry WHERE scope = ? AND token = ?", arguments: [scope, token])
        else { return nil }
        return try cipher.open(sealed)
    }
}
