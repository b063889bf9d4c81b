import Foundation
import GRDB
import LoomStore

/// Where originals live: only in the trust service's own database, keyed by scope and token.
struct TokenVault: Sendable {
    let store: ServiceDatabase

    static func open(directory: URL) throws -> TokenVault {
        TokenVault(store: try ServiceDatabase.open(directory: directory, service: "trust", migrations: register))
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
    }

    /// The token for `original` in `scope`, minting `[KIND_n]` the first time it is seen.
    static func token(_ db: Database, scope: String, kind: PIIDetector.Kind, original: String) throws -> String {
        if let existing = try String.fetchOne(
            db, sql: "SELECT token FROM vaultEntry WHERE scope = ? AND kind = ? AND original = ?",
            arguments: [scope, kind.rawValue, original])
        {
            return existing
        }
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vaultEntry WHERE scope = ? AND kind = ?", arguments: [scope, kind.rawValue]) ?? 0
        let token = "[\(kind.rawValue)_\(count + 1)]"
        try db.execute(
            sql: "INSERT INTO vaultEntry (scope, token, kind, original, createdAt) VALUES (?, ?, ?, ?, ?)",
            arguments: [scope, token, kind.rawValue, original, Date().timeIntervalSince1970])
        return token
    }

    static func original(_ db: Database, scope: String, token: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT original FROM vaultEntry WHERE scope = ? AND token = ?", arguments: [scope, token])
    }
}
