import Foundation
import GRDB
import LoomStore
import Testing

/// Custody payloads and cached replies are sealed at rest with the service's data key and
/// read back in the clear by the hop code.
@Suite struct CustodySealingTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-custody-\(UUID().uuidString)")
    let text = Data(#"{"text":"I'm ana@example.com"}"#.utf8)

    func open() throws -> ServiceDatabase {
        try ServiceDatabase.open(
            directory: directory, service: "router", sealing: try SealedColumn(key: Data(repeating: 3, count: 32)))
    }

    @Test func payloadsAreSealedOnDiskAndOpenForTheHop() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        let text = text
        try await database.write { db in
            _ = try db.recordInbox(messageId: "in-1", source: "peer:ingress", kind: "inbound", payload: text)
            try db.enqueueOutbox(messageId: "out-1", destination: "peer:orchestrator", kind: "request", payload: text)
            try ReplyCache.store(db, requestId: "rq-1", kind: "reply", reply: text)
        }
        let raw = try await database.read { db in
            [
                try Data.fetchOne(db, sql: "SELECT payload FROM inboxMessage"),
                try Data.fetchOne(db, sql: "SELECT payload FROM outboxMessage"),
                try Data.fetchOne(db, sql: "SELECT reply FROM rpcReply"),
            ]
        }
        for stored in raw {
            #expect(stored?.starts(with: SealedColumn.binaryMagic) == true)
            #expect(stored?.range(of: Data("ana@example.com".utf8)) == nil)
        }
        let read = try await database.read { db in
            (
                try db.pendingInbox(kind: "inbound").first?.payload,
                try OutboxQueries.due(db, now: Date().addingTimeInterval(1), limit: 10).first?.payload,
                try ReplyCache.reply(db, requestId: "rq-1")
            )
        }
        #expect(read.0 == text && read.1 == text && read.2 == text)
    }

    @Test func aPayloadMovedToAnotherMessageDoesNotOpen() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        let text = text
        try await database.write { db in
            try db.enqueueOutbox(messageId: "out-1", destination: "peer:x", kind: "request", payload: text)
            try db.enqueueOutbox(messageId: "out-2", destination: "peer:x", kind: "request", payload: Data("{}".utf8))
            try db.execute(
                sql: "UPDATE outboxMessage SET payload = (SELECT payload FROM outboxMessage WHERE messageId = 'out-1') "
                    + "WHERE messageId = 'out-2'")
        }
        await #expect(throws: (any Error).self) {
            try await database.read { db in try OutboxQueries.due(db, now: Date().addingTimeInterval(1), limit: 10) }
        }
    }
}
