import Foundation
import LoomContract
import Synchronization

/// Callers holding an HTTP request open until their reply arrives on the bus.
///
/// A waiter is registered before the message is handed to the router, so a reply that
/// arrives quickly is never missed.
final class ReplyWaiters: Sendable {
    private let entries = Mutex<[String: Entry]>([:])

    private struct Entry {
        var reply: OutboundMessage?
        var waiter: CheckedContinuation<OutboundMessage?, Never>?
    }

    /// Starts expecting a reply to the inbound message `id`.
    func expect(_ id: String) {
        entries.withLock { entries in
            if entries[id] == nil { entries[id] = Entry() }
        }
    }

    /// Hands a reply to its waiting caller; returns false when nobody is waiting for it.
    @discardableResult
    func fulfill(_ reply: OutboundMessage) -> Bool {
        let waiter = entries.withLock { entries -> CheckedContinuation<OutboundMessage?, Never>?? in
            guard var entry = entries[reply.inReplyTo] else { return .none }
            if let waiter = entry.waiter {
                entries[reply.inReplyTo] = nil
                return .some(waiter)
            }
            entry.reply = reply
            entries[reply.inReplyTo] = entry
            return .some(nil)
        }
        switch waiter {
        case .none: return false
        case .some(let continuation):
            continuation?.resume(returning: reply)
            return true
        }
    }

    /// Waits for the reply to `id`, or nil after `timeout`. Always forgets the waiter afterwards.
    func wait(for id: String, timeout: Duration) async -> OutboundMessage? {
        await withTaskGroup(of: Void.self) { group -> OutboundMessage? in
            let result = await withCheckedContinuation { (continuation: CheckedContinuation<OutboundMessage?, Never>) in
                let ready = entries.withLock { entries -> OutboundMessage?? in
                    guard var entry = entries[id] else { return .some(nil) }
                    if let reply = entry.reply {
                        entries[id] = nil
                        return .some(reply)
                    }
                    entry.waiter = continuation
                    entries[id] = entry
                    return .none
                }
                if let ready {
                    continuation.resume(returning: ready)
                    return
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    self.expire(id)
                }
            }
            group.cancelAll()
            return result
        }
    }

    func cancel(_ id: String) { expire(id) }

    private func expire(_ id: String) {
        let waiter = entries.withLock { entries in entries.removeValue(forKey: id)?.waiter }
        waiter?.resume(returning: nil)
    }
}
