import Foundation
import GRDB
import Synchronization
import Testing

@testable import LoomStore

/// Group commit: what arrives during a commit shares the next one, each transaction still
/// succeeds or fails alone, and nobody is answered before the commit that holds their work.
@Suite struct GroupCommitTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-group-\(UUID().uuidString)")

    func open() throws -> ServiceDatabase {
        try ServiceDatabase.open(directory: directory, service: "test") { migrator in
            migrator.registerMigration("items") { db in
                try db.execute(sql: "CREATE TABLE item (name TEXT PRIMARY KEY)")
            }
        }
    }

    /// Counts the commits the database makes.
    final class Commits: TransactionObserver, @unchecked Sendable {
        let count = Mutex(0)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { count.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    @Test func transactionsArrivingDuringACommitShareTheNextOne() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        let commits = Commits()
        database.writer.add(transactionObserver: commits, extent: .databaseLifetime)
        let release = DispatchSemaphore(value: 0)
        let running = Atomic(false)
        // The first transaction holds the writer until twenty more are waiting.
        let first = Task { try await database.write { db in
            running.store(true, ordering: .sequentiallyConsistent)
            release.wait()
            try db.execute(sql: "INSERT INTO item VALUES ('first')")
        } }
        while !running.load(ordering: .sequentiallyConsistent) { await Task.yield() }
        let rest = (0..<20).map { index in
            Task { try await database.write { db -> Int in
                try db.execute(sql: "INSERT INTO item VALUES (?)", arguments: ["item-\(index)"])
                return index
            } }
        }
        while database.group.pendingCount < 20 { await Task.yield() }
        release.signal()
        try await first.value
        var returned: [Int] = []
        for task in rest { returned.append(try await task.value) }
        #expect(returned == Array(0..<20))
        #expect(commits.count.withLock { $0 } == 2)
        #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM item") } == 21)
    }

    @Test func aFailingTransactionIsUndoneAloneAndItsCallerGetsItsError() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        let release = DispatchSemaphore(value: 0)
        let running = Atomic(false)
        let first = Task { try await database.write { db in
            running.store(true, ordering: .sequentiallyConsistent)
            release.wait()
            try db.execute(sql: "INSERT INTO item VALUES ('kept-1')")
        } }
        while !running.load(ordering: .sequentiallyConsistent) { await Task.yield() }
        let failing = Task { try await database.write { db in
            try db.execute(sql: "INSERT INTO item VALUES ('undone')")
            try db.execute(sql: "INSERT INTO item VALUES ('kept-1')")
        } }
        let after = Task { try await database.write { db in try db.execute(sql: "INSERT INTO item VALUES ('kept-2')") } }
        while database.group.pendingCount < 2 { await Task.yield() }
        release.signal()
        try await first.value
        await #expect(throws: DatabaseError.self) { try await failing.value }
        try await after.value
        let names = try await database.read { try String.fetchAll($0, sql: "SELECT name FROM item ORDER BY name") }
        #expect(names == ["kept-1", "kept-2"])
    }

    @Test func aTransactionAloneCommitsAtOnceAndNestedSavepointsStillWork() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try open()
        let value = try await database.write { db -> String in
            try db.inSavepoint {
                try db.execute(sql: "INSERT INTO item VALUES ('inner')")
                return .rollback
            }
            try db.execute(sql: "INSERT INTO item VALUES ('outer')")
            return "done"
        }
        #expect(value == "done")
        #expect(try await database.read { try String.fetchAll($0, sql: "SELECT name FROM item") } == ["outer"])
    }
}
