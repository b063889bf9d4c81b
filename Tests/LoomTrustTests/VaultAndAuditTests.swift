import Foundation
import GRDB
import LoomContract
import LoomStore
import Testing

@testable import LoomTrust

/// The sealed vault (stable tokens, originals never in the clear, tolerant unmasking) and the
/// hash-chained audit log (any edit or removal found).
struct VaultAndAuditTests {
    static let key = Data((0..<32).map { UInt8($0) })

    func makeMasker(directory: URL, key: Data = key) throws -> Masker {
        Masker(vault: try TokenVault.open(directory: directory, cipher: try VaultCipher(masterKey: key)), custom: [])
    }

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("loom-trust-test-\(UUID().uuidString)")
    }

    @Test func tokensAreStablePerScopeAndOriginalsAreSealed() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let masker = try makeMasker(directory: directory)
        let first = try await masker.mask(MaskRequest(scope: "s1", preset: "standard", texts: ["I am ana@example.com, card 4111 1111 1111 1111"]))
        #expect(first.texts == ["I am [EMAIL_1], card [CARD_1]"])
        let again = try await masker.mask(MaskRequest(scope: "s1", preset: "standard", texts: ["bob@example.com wrote to ana@example.com"]))
        #expect(again.texts == ["[EMAIL_2] wrote to [EMAIL_1]"])
        let other = try await masker.mask(MaskRequest(scope: "s2", preset: "standard", texts: ["bob@example.com"]))
        #expect(other.texts == ["[EMAIL_1]"])

        let restored = try await masker.unmask(UnmaskRequest(scope: "s1", texts: ["Write to [ email_2 ] or [Email _ 1]; [CARD_1]; [EMAIL_9]"]))
        #expect(restored.texts == ["Write to bob@example.com or ana@example.com; 4111 1111 1111 1111; [EMAIL_9]"])
        #expect(restored.unknownTokens == ["[EMAIL_9]"])

        // The database file holds no original in the clear.
        let bytes = try Data(contentsOf: directory.appendingPathComponent("trust.sqlite"))
            + ((try? Data(contentsOf: directory.appendingPathComponent("trust.sqlite-wal"))) ?? Data())
        for original in ["ana@example.com", "bob@example.com", "4111 1111 1111 1111"] {
            #expect(bytes.range(of: Data(original.utf8)) == nil, "\(original)")
        }
        // Another key cannot open the originals.
        let stranger = try makeMasker(directory: directory, key: Data(repeating: 7, count: 32))
        await #expect(throws: (any Error).self) { try await stranger.unmask(UnmaskRequest(scope: "s1", texts: ["[EMAIL_1]"])) }
    }

    @Test func aSealedOriginalMovedToAnotherScopeNoLongerOpens() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vault = try TokenVault.open(directory: directory, cipher: try VaultCipher(masterKey: Self.key))
        let masker = Masker(vault: vault, custom: [])
        _ = try await masker.mask(MaskRequest(scope: "victim", preset: "standard", texts: ["ana@example.com"]))
        _ = try await masker.mask(MaskRequest(scope: "attacker", preset: "standard", texts: ["eve@example.com"]))
        // Someone with write access to the file copies the victim's box into their own row.
        try await vault.store.write { db in
            try db.execute(sql: """
                UPDATE sealedEntry SET sealed = (SELECT sealed FROM sealedEntry WHERE scope = 'victim')
                WHERE scope = 'attacker'
                """)
        }
        await #expect(throws: (any Error).self) { try await masker.unmask(UnmaskRequest(scope: "attacker", texts: ["[EMAIL_1]"])) }
        #expect(try await masker.unmask(UnmaskRequest(scope: "victim", texts: ["[EMAIL_1]"])).texts == ["ana@example.com"])
    }

    @Test func sensitiveFieldsAreMaskedWhole() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let masker = try makeMasker(directory: directory)
        let result = try await masker.mask(MaskRequest(
            scope: "s", preset: "standard", texts: ["Ana Lima", "open", "Ana Lima"], wholeValueKinds: ["NAME", nil, "NAME"]))
        #expect(result.texts == ["[NAME_1]", "open", "[NAME_1]"])
        #expect(try await masker.unmask(UnmaskRequest(scope: "s", texts: ["Hello [NAME_1]"])).texts == ["Hello Ana Lima"])
    }

    @Test func entriesWrittenBeforeEncryptionAreSealedOnOpen() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A vault as the first version wrote it: originals in the clear.
        do {
            let old = try ServiceDatabase.open(directory: directory, service: "trust") { migrator in
                migrator.registerMigration("trust-v1") { db in
                    try db.execute(sql: """
                        CREATE TABLE vaultEntry (scope TEXT NOT NULL, token TEXT NOT NULL, kind TEXT NOT NULL, original TEXT NOT NULL,
                            createdAt DOUBLE NOT NULL, PRIMARY KEY (scope, token), UNIQUE (scope, kind, original));
                        INSERT INTO vaultEntry VALUES ('s', '[EMAIL_1]', 'EMAIL', 'old@example.com', 0);
                        """)
                }
            }
            _ = old
        }
        let masker = try makeMasker(directory: directory)
        #expect(try await masker.unmask(UnmaskRequest(scope: "s", texts: ["[EMAIL_1]"])).texts == ["old@example.com"])
        #expect(try await masker.mask(MaskRequest(scope: "s", preset: "standard", texts: ["old@example.com"])).texts == ["[EMAIL_1]"])
        let plaintextLeft = try await masker.vault.store.read { db in try db.tableExists("vaultEntry") }
        #expect(!plaintextLeft)
    }

    func chain(_ count: Int) throws -> ServiceDatabase {
        let store = try ServiceDatabase.inMemory { TokenVault.register(&$0) }
        try store.writer.write { db in
            for index in 1...count {
                try AuditLog.append(db, category: "policy", executionId: "exe_\(index)", subject: "test", detail: ["n": "\(index)"])
            }
        }
        return store
    }

    @Test func anIntactChainVerifies() throws {
        let store = try chain(5)
        let result = try store.writer.read { db in try AuditLog.verify(db) }
        #expect(result.valid && result.entries == 5 && result.brokenAt == nil)
    }

    @Test(arguments: [
        ("UPDATE auditEntry SET detail = '{\"n\":\"99\"}' WHERE sequence = 3", 3),
        ("UPDATE auditEntry SET category = 'masking' WHERE sequence = 2", 2),
        ("DELETE FROM auditEntry WHERE sequence = 4", 4),
        ("DELETE FROM auditEntry WHERE sequence = 5", 5),
        ("UPDATE auditEntry SET hash = 'f00d', previousHash = previousHash WHERE sequence = 1", 1),
    ])
    func anyEditOrRemovalIsFound(statement: String, brokenAt: Int) throws {
        let store = try chain(5)
        try store.writer.write { db in try db.execute(sql: statement) }
        let result = try store.writer.read { db in try AuditLog.verify(db) }
        #expect(!result.valid && result.brokenAt == brokenAt, "\(result)")
    }
}
