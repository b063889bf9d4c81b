import Foundation

/// The calls and deliveries a node is waiting on, each with its own ticket.
///
/// Several waiters may share one key: a client that retries with the same Idempotency-Key
/// while its first attempt still waits makes two deliveries of one message id, and both must
/// hear the answer. Each waiter's timer ends only its own ticket, so a stale timer can never
/// fail a later call that reuses the id. Pure bookkeeping; the node holds it under a lock.
struct PendingExchanges<Continuation> {
    struct Waiter {
        var address: PeerAddress
        var continuation: Continuation
        /// Sends the request or delivery again, e.g. when the link to its peer reconnects.
        var resend: @Sendable () async -> SendOutcome
        /// A resend still trying while the connection is made; cancelled once the waiter is settled.
        var timer: Task<Void, Never>?
    }

    private var waiters: [String: [UInt64: Waiter]] = [:]
    private var lastTicket: UInt64 = 0

    var count: Int { waiters.values.reduce(0) { $0 + $1.count } }

    mutating func register(
        _ key: String, address: PeerAddress, continuation: Continuation,
        resend: @escaping @Sendable () async -> SendOutcome
    ) -> UInt64 {
        lastTicket += 1
        waiters[key, default: [:]][lastTicket] = Waiter(address: address, continuation: continuation, resend: resend)
        return lastTicket
    }

    /// Hands the waiter its resend task; returns false when it was settled in the meantime, so the
    /// caller cancels the timer at once.
    mutating func attach(_ timer: Task<Void, Never>, to key: String, ticket: UInt64) -> Bool {
        guard waiters[key]?[ticket] != nil else { return false }
        waiters[key]?[ticket]?.timer = timer
        return true
    }

    /// Removes one waiter: its timeout, a failed send, or its caller's cancellation.
    mutating func remove(_ key: String, ticket: UInt64) -> Waiter? {
        guard let waiter = waiters[key]?.removeValue(forKey: ticket) else { return nil }
        if waiters[key]?.isEmpty == true { waiters[key] = nil }
        return waiter
    }

    /// Removes every waiter under `key` that sent to `from`: an answer from elsewhere (a
    /// forged REPLY or ACK) settles nothing.
    mutating func answer(_ key: String, from: PeerAddress) -> [(ticket: UInt64, waiter: Waiter)] {
        guard let entries = waiters[key] else { return [] }
        let matching = entries.filter { $0.value.address == from }
        guard !matching.isEmpty else { return [] }
        let rest = entries.filter { $0.value.address != from }
        waiters[key] = rest.isEmpty ? nil : rest
        return matching.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// One resend per key among the waiters whose request went to `address`, oldest first:
    /// the same message sent once more is enough for every caller waiting on it.
    func resends(to address: PeerAddress) -> [@Sendable () async -> SendOutcome] {
        waiters.values.compactMap { entries in
            entries.filter { $0.value.address == address }.min { $0.key < $1.key }
        }.sorted { $0.key < $1.key }.map(\.value.resend)
    }
}
