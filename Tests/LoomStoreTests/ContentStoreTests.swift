import Foundation
import GRDB
import LoomStore
import Testing

/// Content stored once by digest: repeated bodies take no new row, digests of sealed stores are
/// keyed, and bodies are sealed to their digest.
struct ContentStoreTests {
    private func database() throws -> ServiceDatabase {
        try ServiceDatabase.inMemory { migrator in
            migrator.registerMigration("content") { db in try ContentStore.createTable(db) }
        }
    }

    private func rows(_ database: ServiceDatabase) async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM storedContent") ?? 0 }
    }

    @Test func aRepeatedBodyIsStoredOnceAndReadBack() async throws {
        let database = try database()
        let content = ContentStore(sealing: nil)
        let digests = try await database.write { db in
            try ["system prompt", "hello", "system prompt", "hello", "new"].map { try content.intern(db, $0) }
        }
        #expect(digests[0] == digests[2] && digests[1] == digests[3] && digests[0] != digests[1])
        #expect(try await rows(database) == 3)
        let body = try await database.read { db in try content.body(db, digests[4]) }
        #expect(body == "new")
        await #expect(throws: ContentStore.Missing.self) {
            try await database.read { db in try content.body(db, String(repeating: "0", count: 64)) }
        }
    }

    @Test func aSealedStoreKeysItsDigestsAndHoldsNoPlaintext() async throws {
        let database = try database()
        let key = SealedColumn.generateKey()
        let content = ContentStore(sealing: try SealedColumn(key: key))
        let text = "card 4111 1111 1111 1111 for ana@example.com"
        let digest = try await database.write { db in try content.intern(db, text) }
        // An unkeyed digest of a guessed text does not find it.
        #expect(digest != ContentStore(sealing: nil).digest(of: text))
        #expect(digest != ContentStore(sealing: try SealedColumn(key: SealedColumn.generateKey())).digest(of: text))
        let stored = try await database.read { db in try String.fetchOne(db, sql: "SELECT body FROM storedContent") }
        #expect(stored.map(SealedColumn.isSealed) == true)
        #expect(stored?.contains("4111") == false && stored?.contains("ana@") == false)
        let same = ContentStore(sealing: try SealedColumn(key: key))
        #expect(try await database.read { db in try same.body(db, digest) } == text)
    }

    @Test func aBodyMovedUnderAnotherDigestDoesNotOpen() async throws {
        let database = try database()
        let content = ContentStore(sealing: try SealedColumn(key: SealedColumn.generateKey()))
        let (first, second) = try await database.write { db in (try content.intern(db, "one"), try content.intern(db, "two")) }
        try await database.write { db in
            let body = try String.fetchOne(db, sql: "SELECT body FROM storedContent WHERE digest = ?", arguments: [first])
            try db.execute(sql: "UPDATE storedContent SET body = ? WHERE digest = ?", arguments: [body, second])
        }
        await #expect(throws: (any Error).self) { try await database.read { db in try content.body(db, second) } }
    }
}
