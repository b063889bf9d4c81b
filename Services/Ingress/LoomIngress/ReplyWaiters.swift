import Foundation
import LoomContract
import Synchronization

/// Callers holding an HTTP request open until their reply arrives on the bus.
///
/// A waiter is registered before the message is handed to the router, so a reply that arrives
/// quickly is never missed; several callers may wait for the same message (a client retrying
/// with the same Idempotency-Key while the first attempt still waits).
final class ReplyWaiters: Sendable {
    private let entries = Mutex<[String: Entry]>([:])

    private struct Entry {
        /// Callers registered with `expect` that have not finished waiting.
        var expected = 0
        var reply: OutboundMessage?
        var waiters: [UInt64: CheckedContinuation<OutboundMessage?, Never>] = [:]
        var nextTicket: UInt64 = 0
    }

    /// Starts expecting a reply to the inbound message `id`; pair with one `wait` or `cancel`.
    func expect(_ id: String) {
        entries.withLock { $0[id, default: Entry()].expected += 1 }
    }

    /// Hands a reply to every caller waiting for it; returns false when nobody is.
    @discardableResult
    func fulfill(_ reply: OutboundMessage) -> Bool {
        let waiting = entries.withLock { entries -> [CheckedContinuation<OutboundMessage?, Never>]? in
            guard var entry = entries[reply.inReplyTo] else { return nil }
            entry.reply = reply
            let waiting = Array(entry.waiters.values)
            entry.waiters.removeAll()
            entries[reply.inReplyTo] = entry
            return waiting
        }
        waiting?.forEach { $0.resume(returning: reply) }
        return waiting != nil
    }

    /// Waits for the reply to `id`, or nil after `timeout`.
    func wait(for id: String, timeout: Duration) async -> OutboundMessage? {
        let ticket = entries.withLock { entries -> UInt64 in
            entries[id, default: Entry()].nextTicket += 1
            return entries[id]?.nextTicket ?? 0
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.release(id, ticket)
        }
        defer {
            timer.cancel()
            done(id)
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<OutboundMessage?, Never>) in
                let ready = entries.withLock { entries -> OutboundMessage?? in
                    guard var entry = entries[id] else { return .some(nil) }
                    if let reply = entry.reply { return .some(reply) }
                    if Task.isCancelled { return .some(nil) }
                    entry.waiters[ticket] = continuation
                    entries[id] = entry
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            release(id, ticket)
        }
    }

    /// Gives up expecting a reply (the message was refused or never taken).
    func cancel(_ id: String) { done(id) }

    private func release(_ id: String, _ ticket: UInt64) {
        let waiter = entries.withLock { entries in entries[id]?.waiters.removeValue(forKey: ticket) }
        waiter?.resume(returning: nil)
    }

    private func done(_ id: String) {
        entries.withLock { entries in
            guard var entry = entries[id] else { return }
            entry.expected -= 1
            entries[id] = entry.expected <= 0 ? nil : entry
        }
    }
}
