import Foundation
import GRDB
import LoomContract
import LoomStore
import Synchronization
import Testing

@testable import LoomBus

/// The reply cache's commits: an answer is stored once, and an answer that doing the work again
/// would reproduce (`storesReply: false`) costs no commit at all.
struct ReplyDeduplicatorTests {
    private func storedReplies(_ database: ServiceDatabase) async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rpcReply") ?? 0 }
    }

    @Test func aFinalAnswerIsStoredAndRepeatedWithoutRunningAgain() async throws {
        let database = try ServiceDatabase.inMemory()
        let replies = ReplyDeduplicator(database: database)
        let runs = Mutex(0)
        let request = Envelope(id: "req-1", body: HealthQuery())
        for _ in 0..<2 {
            let answer = await replies.serve(request, from: .client("caller")) {
                let run = runs.withLock { $0 += 1; return $0 }
                return Failure(code: "run-\(run)", message: "done")
            }
            #expect((answer as? Failure)?.code == "run-1")
        }
        #expect(runs.withLock { $0 } == 1)
        #expect(try await storedReplies(database) == 1)
    }

    @Test func anAnswerThatStoresNoReplyCommitsNothingAndIsWorkedOutAgain() async throws {
        let database = try ServiceDatabase.inMemory()
        let replies = ReplyDeduplicator(database: database)
        let runs = Mutex(0)
        let request = Envelope(id: "req-2", body: HealthQuery())
        for _ in 0..<2 {
            _ = await replies.serve(request, from: .client("caller"), recording: {
                runs.withLock { $0 += 1 }
                return ReplyDeduplicator.Answer(Failure(code: "same", message: "same answer"), storesReply: false)
            })
        }
        #expect(runs.withLock { $0 } == 2)
        #expect(try await storedReplies(database) == 0)
    }

    @Test func aRecordIsCommittedEvenWhenTheReplyIsNotStored() async throws {
        let database = try ServiceDatabase.inMemory { migrator in
            migrator.registerMigration("note") { db in try db.execute(sql: "CREATE TABLE note (text TEXT)") }
        }
        let replies = ReplyDeduplicator(database: database)
        let request = Envelope(id: "req-3", body: HealthQuery())
        _ = await replies.serve(request, from: .client("caller"), recording: {
            ReplyDeduplicator.Answer(
                Failure(code: "x", message: "x"),
                record: { db in try db.execute(sql: "INSERT INTO note (text) VALUES ('audited')") }, storesReply: false)
        })
        let notes = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM note") ?? 0 }
        #expect(notes == 1)
        #expect(try await storedReplies(database) == 0)
    }

    @Test func aRepeatFromAnotherCallerDoesNotGetTheFirstCallersAnswer() async throws {
        let database = try ServiceDatabase.inMemory()
        let replies = ReplyDeduplicator(database: database)
        let request = Envelope(id: "req-4", body: HealthQuery())
        let first = await replies.serve(request, from: .client("a")) { Failure(code: "for-a", message: "a") }
        let second = await replies.serve(request, from: .client("b")) { Failure(code: "for-b", message: "b") }
        #expect((first as? Failure)?.code == "for-a")
        #expect((second as? Failure)?.code == "for-b")
    }
}
