import Foundation
import GRDB
import LoomContract
import LoomStore
import Testing

@testable import LoomRouter

/// Message bodies at rest: sealed on disk, open for readers, bound to their message, and
/// removed past the retention window while the message row stays.
@Suite struct MessageBodyTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-router-\(UUID().uuidString)")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func open() throws -> RouterDatabase {
        try RouterDatabase.open(directory: directory, bodies: try SealedColumn(key: Data(repeating: 7, count: 32)))
    }

    func message(_ id: String, _ body: String, daysAgo: Double, status: InteractionMessage.DeliveryStatus = .sent)
        -> InteractionMessage
    {
        let at = now.addingTimeInterval(-daysAgo * 86_400)
        return InteractionMessage(
            id: id, sessionId: "ses-1", executionId: "exe-\(id)", direction: .outbound, channel: .api,
            externalMessageId: nil, sender: "agent", recipient: "ana", body: body, deliveryStatus: status,
            createdAt: at, updatedAt: at)
    }

    func insert(_ database: RouterDatabase, _ messages: [InteractionMessage]) async throws {
        try await database.store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO session (id, channel, endpoint, continuityKey, participant, agent, status, createdAt,
                        lastActivityAt, turnCount)
                    VALUES ('ses-1', 'api', 'api', 'k', 'ana', 'support', 'active', 0, 0, 0)
                    """)
            for message in messages { try database.insert(message, db) }
        }
    }

    @Test func bodiesAreSealedOnDiskAndOpenForReaders() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        try await insert(database, [message("m-1", "card 4111 1111 1111 1111", daysAgo: 0)])
        let stored = try await database.store.read { db in try String.fetchOne(db, sql: "SELECT body FROM message") }
        #expect(stored.map(SealedColumn.isSealed) == true)
        #expect(stored?.contains("4111") == false)
        let read = try await database.store.read { db in try database.message(db, id: "m-1") }
        #expect(read?.body == "card 4111 1111 1111 1111")

        // A body copied onto another message does not open there.
        try await database.store.write { db in
            try database.insert(message("m-2", "other", daysAgo: 0), db)
            try db.execute(
                sql: "UPDATE message SET body = (SELECT body FROM message WHERE id = 'm-1') WHERE id = 'm-2'")
        }
        await #expect(throws: (any Error).self) {
            try await database.store.read { db in try database.message(db, id: "m-2") }
        }
    }

    @Test func bodiesPastTheWindowAreRemovedAndTheRowsStay() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        try await insert(database, [
            message("old-1", "old text", daysAgo: 40), message("old-2", "old text", daysAgo: 31),
            message("held", "awaiting review", daysAgo: 40, status: .draft), message("new", "new text", daysAgo: 2),
        ])
        let cutoff = now.addingTimeInterval(-30 * 86_400)
        #expect(try await database.removeBodies(before: cutoff, now: now, limit: 1) == 1)
        #expect(try await database.removeBodies(before: cutoff, now: now, limit: 10) == 1)
        #expect(try await database.removeBodies(before: cutoff, now: now, limit: 10) == 0)
        let messages = try await database.store.read { db in
            try database.messages(db, sql: "SELECT * FROM message ORDER BY id")
        }
        #expect(messages.map(\.id) == ["held", "new", "old-1", "old-2"])
        let removed = RouterDatabase.removedBody
        #expect(messages.map(\.body) == ["awaiting review", "new text", removed, removed])
    }

    @Test func bodiesWrittenBeforeSealingAreSealedOnOpen() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try open()
        try await insert(first, [message("m-1", "placeholder", daysAgo: 0)])
        try await first.store.write { db in try db.execute(sql: "UPDATE message SET body = 'plain ana@example.com'") }
        let reopened = try open()
        let stored = try await reopened.store.read { db in try String.fetchOne(db, sql: "SELECT body FROM message") }
        #expect(stored.map(SealedColumn.isSealed) == true)
        let read = try await reopened.store.read { db in try reopened.message(db, id: "m-1") }
        #expect(read?.body == "plain ana@example.com")
    }
}
