import Foundation
import GRDB
import LoomStore
import Testing

/// What the retention sweep prunes, decided against an injected clock.
@Suite struct RetentionTests {
    static let day: TimeInterval = 86_400
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    var cutoffs: RetentionCutoffs {
        RetentionCutoffs(
            now: now,
            windows: [.messageBodies: 30 * Self.day, .custody: 7 * Self.day, .replyCache: Self.day, .dedup: 30 * Self.day])
    }

    func ago(_ days: Double) -> Date { now.addingTimeInterval(-days * Self.day) }

    @Test func rowsArePastTheirWindowOnlyOnceItHasElapsed() {
        #expect(cutoffs.cutoff(.custody) == ago(7))
        #expect(cutoffs.isPast(.custody, stamp: ago(7.01)))
        #expect(!cutoffs.isPast(.custody, stamp: ago(6.99)))
        #expect(cutoffs.isPast(.replyCache, stamp: ago(1.5)))
        #expect(!cutoffs.isPast(.messageBodies, stamp: ago(29)))
        #expect(cutoffs.isPast(.messageBodies, stamp: ago(31)))
        // A kind without a window (or with a zero one) is kept.
        let keepAll = RetentionCutoffs(now: now, windows: [.dedup: 0])
        #expect(keepAll.cutoff(.dedup) == nil && !keepAll.isPast(.custody, stamp: .distantPast))
    }

    @Test func custodyRowsPastTheirWindowAreDeletedInBatchesAndPendingWorkIsKept() async throws {
        let database = try ServiceDatabase.inMemory()
        try await database.write { [self] db in
            for (index, days) in [40.0, 35, 10].enumerated() {
                _ = try db.recordInbox(messageId: "old-\(index)", source: "s", kind: "k", payload: nil, at: ago(days))
                try db.markInboxProcessed(messageId: "old-\(index)", at: ago(days))
            }
            _ = try db.recordInbox(messageId: "pending", source: "s", kind: "k", payload: Data("p".utf8), at: ago(90))
            for (index, days) in [8.0, 2].enumerated() {
                try db.enqueueOutbox(
                    messageId: "out-\(index)", destination: "peer:x", kind: "k", payload: Data("x".utf8), at: ago(days))
                try OutboxQueries.markAcked(db, messageId: "out-\(index)", destination: "peer:x", at: ago(days))
            }
            let payload = Data("x".utf8)
            try db.enqueueOutbox(messageId: "unacked", destination: "peer:x", kind: "k", payload: payload, at: ago(60))
            try db.enqueueOutbox(messageId: "dead", destination: "peer:y", kind: "k", payload: payload, at: ago(9))
            try OutboxQueries.deadLetter(db, messageId: "dead", destination: "peer:y", reason: "no", at: ago(9))
            try ReplyCache.store(db, requestId: "r-old", kind: "k", reply: Data("a".utf8), at: ago(2))
            try ReplyCache.store(db, requestId: "r-new", kind: "k", reply: Data("a".utf8), at: ago(0.5))
        }
        let cutoffs = cutoffs
        // A batch of one removes at most one row per table.
        #expect(try await database.write { db in try CustodyRetention.prune(db, cutoffs, limit: 1) } == 4)
        while try await database.write({ db in try CustodyRetention.prune(db, cutoffs, limit: 1) }) > 0 {}
        let left = try await database.read { db in
            (
                try String.fetchAll(db, sql: "SELECT messageId FROM inboxMessage ORDER BY messageId"),
                try String.fetchAll(db, sql: "SELECT messageId FROM outboxMessage ORDER BY messageId"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deadLetter") ?? -1,
                try String.fetchAll(db, sql: "SELECT requestId FROM rpcReply")
            )
        }
        #expect(left.0 == ["old-2", "pending"])
        #expect(left.1 == ["out-1", "unacked"])
        #expect(left.2 == 0)
        #expect(left.3 == ["r-new"])
    }
}
