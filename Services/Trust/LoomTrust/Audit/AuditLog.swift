import Crypto
import Foundation
import GRDB
import LoomContract

/// The append-only audit log: each entry carries the hash of the one before it, so an edited,
/// inserted or deleted entry breaks the chain, and the head row (updated in the same
/// transaction) exposes a removed tail.
///
/// Entries hold decisions and summaries — a policy decision, a refusal, counts of what was
/// masked — never the originals the vault protects.
enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("trust-v3-audit") { db in
            try db.execute(sql: """
                CREATE TABLE auditEntry (
                    sequence INTEGER PRIMARY KEY,
                    recordedAt INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    executionId TEXT,
                    subject TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    previousHash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX auditEntry_execution ON auditEntry(executionId);
                CREATE TABLE auditHead (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    sequence INTEGER NOT NULL,
                    hash TEXT NOT NULL
                );
                """)
        }
    }

    /// Appends an entry inside the caller's transaction and returns it.
    @discardableResult
    static func append(
        _ db: Database, category: String, executionId: String?, subject: String, detail: [String: String], at now: Date = Date()
    ) throws -> AuditEntry {
        let head = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM auditHead WHERE id = 1")
        let sequence = ((head?["sequence"] as Int?) ?? 0) + 1
        let previous = (head?["hash"] as String?) ?? genesis
        var entry = AuditEntry(
            sequence: sequence, recordedAtMilliseconds: Int64((now.timeIntervalSince1970 * 1000).rounded()), category: category,
            executionId: executionId, subject: subject, detail: detail, previousHash: previous, hash: "")
        entry.hash = hash(of: entry)
        try db.execute(
            sql: """
                INSERT INTO auditEntry (sequence, recordedAt, category, executionId, subject, detail, previousHash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                sequence, entry.recordedAtMilliseconds, category, executionId, subject, try canonical(detail), previous, entry.hash,
            ])
        try db.execute(
            sql: "INSERT INTO auditHead (id, sequence, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash",
            arguments: [sequence, entry.hash])
        return entry
    }

    /// SHA-256 over the previous hash and the entry's fields in a fixed layout.
    static func hash(of entry: AuditEntry) -> String {
        let fields = [
            entry.previousHash, "\(entry.sequence)", "\(entry.recordedAtMilliseconds)", entry.category, entry.executionId ?? "",
            entry.subject, (try? canonical(entry.detail)) ?? "",
        ]
        let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{1E}").utf8))
        return Hex.string(digest)
    }

    static func canonical(_ detail: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(detail), as: UTF8.self)
    }

    /// Walks the whole chain; the first problem found is reported with its sequence number.
    static func verify(_ db: Database) throws -> AuditVerification {
        var expectedSequence = 1
        var previous = genesis
        var problem: (Int, String)?
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM auditEntry ORDER BY sequence")
        while let row = try cursor.next() {
            let detailText: String = row["detail"]
            let entry = entry(from: row)
            if entry.sequence != expectedSequence {
                problem = (expectedSequence, "entry \(expectedSequence) is missing (next is \(entry.sequence))")
            } else if entry.previousHash != previous {
                problem = (entry.sequence, "entry \(entry.sequence) does not follow the hash of entry \(entry.sequence - 1)")
            } else if (try? canonical(entry.detail)) != detailText || hash(of: entry) != entry.hash {
                problem = (entry.sequence, "entry \(entry.sequence) was changed after it was written")
            }
            if problem != nil { break }
            previous = entry.hash
            expectedSequence += 1
        }
        let checked = expectedSequence - 1
        if problem == nil, let head = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM auditHead WHERE id = 1") {
            let headSequence: Int = head["sequence"]
            if headSequence != checked || (head["hash"] as String) != previous {
                problem = (min(headSequence, checked + 1), "the log ends at entry \(checked) but its head says \(headSequence): entries were removed")
            }
        } else if problem == nil, checked > 0 {
            problem = (1, "the log's head record is missing")
        }
        return AuditVerification(entries: checked, valid: problem == nil, brokenAt: problem?.0, problem: problem?.1, headHash: previous)
    }

    static func entries(_ db: Database, executionId: String?, limit: Int) throws -> [AuditEntry] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM auditEntry WHERE (? IS NULL OR executionId = ?) ORDER BY sequence DESC LIMIT ?",
            arguments: [executionId, executionId, limit]
        ).reversed().map(entry(from:))
    }

    /// An entry as stored; a detail that no longer decodes reads as empty (and fails verification).
    private static func entry(from row: Row) -> AuditEntry {
        let detailText: String = row["detail"]
        return AuditEntry(
            sequence: row["sequence"], recordedAtMilliseconds: row["recordedAt"], category: row["category"], executionId: row["executionId"],
            subject: row["subject"], detail: (try? JSONDecoder().decode([String: String].self, from: Data(detailText.utf8))) ?? [:],
            previousHash: row["previousHash"], hash: row["hash"])
    }
}
