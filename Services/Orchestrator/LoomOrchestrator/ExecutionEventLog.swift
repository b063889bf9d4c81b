import Foundation
import GRDB
import LoomContract
import LoomStore
import Synchronization

/// The numbered events of each execution (status changes today), written in the same
/// transaction as the change they describe, and a way to wait for the next one.
enum ExecutionEventLog {
    /// Appends a status event unless the execution's last status event already says so, so
    /// driving an execution again after a restart adds nothing.
    static func recordStatus(_ db: Database, executionId: String, status: AgentExecution.Status, at now: Date = Date()) throws {
        let last = try String.fetchOne(
            db, sql: "SELECT status FROM executionEvent WHERE executionId = ? AND type = 'status' ORDER BY sequence DESC LIMIT 1",
            arguments: [executionId])
        if last == status.rawValue { return }
        try db.execute(
            sql: "INSERT INTO executionEvent (executionId, sequence, type, status, createdAt) VALUES (?, ?, 'status', ?, ?)",
            arguments: [executionId, try nextSequence(db, executionId), status.rawValue, now.timeIntervalSince1970])
    }

    /// Appends a piece of the answer as the model writes it (for callers that stream), sealed:
    /// pieces are unmasked text.
    static func recordDelta(
        _ db: Database, executionId: String, text: String, sealing: SealedColumn, at now: Date = Date()
    ) throws {
        let sequence = try nextSequence(db, executionId)
        try db.execute(
            sql: "INSERT INTO executionEvent (executionId, sequence, type, text, createdAt) VALUES (?, ?, 'delta', ?, ?)",
            arguments: [
                executionId, sequence, try sealing.seal(text, boundTo: identity(executionId, sequence)),
                now.timeIntervalSince1970,
            ])
    }

    static func identity(_ executionId: String, _ sequence: Int) -> String { "event:\(executionId):\(sequence)" }

    /// Deletes up to `limit` streamed pieces written before `cutoff` (the message-body window:
    /// the reply itself stays with the router); status events stay. Returns how many.
    static func forgetPieces(_ db: Database, before cutoff: Date, limit: Int) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM executionEvent WHERE rowid IN (
                    SELECT rowid FROM executionEvent WHERE type = 'delta' AND createdAt < ? LIMIT ?)
                """,
            arguments: [cutoff.timeIntervalSince1970, limit])
        return db.changesCount
    }

    private static func nextSequence(_ db: Database, _ executionId: String) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM executionEvent WHERE executionId = ?", arguments: [executionId]) ?? 0) + 1
    }

    static func events(
        _ db: Database, executionId: String, after sequence: Int, sealing: SealedColumn
    ) throws -> [ExecutionEvent] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM executionEvent WHERE executionId = ? AND sequence > ? ORDER BY sequence",
            arguments: [executionId, sequence]
        ).map { row in
            let executionId: String = row["executionId"]
            let sequence: Int = row["sequence"]
            let stored: String? = row["text"]
            let text = try stored.map { try sealing.reveal($0, boundTo: identity(executionId, sequence)) }
            return ExecutionEvent(
                executionId: executionId, sequence: sequence,
                type: ExecutionEvent.EventType(rawValue: row["type"]) ?? .status,
                status: (row["status"] as String?).flatMap(AgentExecution.Status.init(rawValue:)), text: text,
                createdAt: Date(timeIntervalSince1970: row["createdAt"]))
        }
    }
}

/// Wakes long-polling readers of an execution's events when a new one is committed.
final class ExecutionEventFeed: Sendable {
    private let waiters = Mutex<[String: [UInt64: CheckedContinuation<Void, Never>]]>([:])
    private let tickets = Atomic<UInt64>(0)

    func changed(_ executionId: String) {
        let woken = waiters.withLock { $0.removeValue(forKey: executionId) } ?? [:]
        for continuation in woken.values { continuation.resume() }
    }

    /// Returns when `executionId` changes or after `timeout`, whichever is first. The timer
    /// starts only once the waiter is registered, so it cannot fire into an empty slot and leave
    /// the waiter asleep.
    func wait(for executionId: String, timeout: Duration) async {
        let ticket = tickets.add(1, ordering: .relaxed).newValue
        let timer = Mutex<Task<Void, Never>?>(nil)
        await withCheckedContinuation { continuation in
            waiters.withLock { $0[executionId, default: [:]][ticket] = continuation }
            let task = Task {
                try? await Task.sleep(for: timeout)
                self.release(executionId, ticket)
            }
            timer.withLock { $0 = task }
        }
        timer.withLock { $0?.cancel() }
    }

    private func release(_ executionId: String, _ ticket: UInt64) {
        let continuation = waiters.withLock { $0[executionId]?.removeValue(forKey: ticket) }
        continuation?.resume()
    }
}
