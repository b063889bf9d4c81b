import Foundation
import GRDB
import Synchronization

/// Group commit: write transactions that arrive while a commit is in flight are gathered into
/// the next one, so a busy service pays one fsync per batch instead of one per transaction.
///
/// Each transaction still behaves as its own: it runs inside a savepoint, so one that throws
/// is rolled back alone and its caller gets its error, while the rest of the batch commits.
/// A caller is answered only after the batch's COMMIT returned, so "committed before
/// acknowledged" holds exactly as with one transaction each. With nothing in flight a
/// transaction starts at once, on its caller's task: there is no waiting for a batch to fill.
final class GroupCommit: Sendable {
    /// One caller's transaction and how to answer it.
    struct Job: Sendable {
        /// Runs the transaction's work; returns how to answer the caller once the batch commits.
        let run: @Sendable (Database) -> Outcome
        let answer: @Sendable (Result<Void, any Error>, Outcome) -> Void
    }

    /// What a transaction's work came to inside the batch.
    enum Outcome: Sendable {
        case done(@Sendable () -> Void)
        case failed(any Error)
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    private let writer: any DatabaseWriter
    private let state = Mutex(State())
    /// An upper bound on one batch, so a flood cannot make one transaction unboundedly large.
    static let maxBatch = 256

    init(writer: any DatabaseWriter) { self.writer = writer }

    /// Transactions waiting for the next batch (for tests that arrange a batch).
    var pendingCount: Int { state.withLock { $0.pending.count } }

    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let leads = state.withLock { state -> Bool in
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        guard leads else { return try await enqueue(updates) }
        // Nothing in flight: this caller commits its own transaction on its own task, with no
        // savepoint (it is alone in the transaction) and no hand-off to a draining task. What
        // arrived meanwhile forms the next batch.
        defer { handOver() }
        return try await writer.write { db in try updates(db) }
    }

    /// Joins the batch after the one in flight.
    private func enqueue<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { db in
                    do {
                        let value = try Self.inSavepoint(db, updates)
                        return .done { continuation.resume(returning: value) }
                    } catch {
                        return .failed(error)
                    }
                },
                answer: { committed, outcome in
                    switch (committed, outcome) {
                    case (.success, .done(let resume)): resume()
                    case (.success, .failed(let error)), (.failure(_), .failed(let error)): continuation.resume(throwing: error)
                    case (.failure(let error), .done): continuation.resume(throwing: error)
                    }
                })
            let start = state.withLock { state -> Bool in
                state.pending.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// After a leader's commit: the transactions that queued behind it are drained on a task of
    /// their own, so the leader's caller is answered now.
    private func handOver() {
        let more = state.withLock { state -> Bool in
            if state.pending.isEmpty { state.draining = false }
            return !state.pending.isEmpty
        }
        if more { Task { await self.drain() } }
    }

    /// Commits batches until nothing is pending.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = Array(state.pending.prefix(Self.maxBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Job]) async {
        let outcomes = Mutex<[Outcome]>([])
        let result: Result<Void, any Error>
        do {
            try await writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    var results: [Outcome] = []
                    for job in batch {
                        results.append(job.run(db))
                        // SQLite rolled the whole transaction back (a full disk, an I/O error):
                        // what ran before is gone, and what follows would commit on its own.
                        guard db.isInsideTransaction else { throw results.last?.error ?? BatchAborted() }
                    }
                    outcomes.withLock { $0 = results }
                    return .commit
                }
            }
            result = .success(())
        } catch {
            result = .failure(error)
        }
        let answered = outcomes.withLock { $0 }
        for (index, job) in batch.enumerated() {
            job.answer(result, index < answered.count ? answered[index] : .failed(Self.error(of: result)))
        }
    }

    private static func error(of result: Result<Void, any Error>) -> any Error {
        if case .failure(let error) = result { return error }
        return BatchAborted()
    }

    /// Runs one caller's work so that its failure undoes only its own changes.
    private static func inSavepoint<T>(_ db: Database, _ updates: (Database) throws -> T) throws -> T {
        try db.execute(sql: "SAVEPOINT job")
        do {
            let value = try updates(db)
            try db.execute(sql: "RELEASE SAVEPOINT job")
            return value
        } catch {
            if db.isInsideTransaction {
                try db.execute(sql: "ROLLBACK TO SAVEPOINT job")
                try db.execute(sql: "RELEASE SAVEPOINT job")
            }
            throw error
        }
    }
}

/// The database ended a batch's transaction without saying why.
struct BatchAborted: Error, CustomStringConvertible {
    var description: String { "the database rolled the transaction back" }
}

extension GroupCommit.Outcome {
    var error: (any Error)? {
        if case .failed(let error) = self { error } else { nil }
    }
}
