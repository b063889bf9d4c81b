import Foundation
import LoomContract
import Synchronization

/// Waiting for answers: each call or delivery registers a waiter, sends, and times its own
/// attempt; an answer from the right peer settles every waiter on that key.
extension BusNode {
    func exchange(
        key: String, address: PeerAddress, timeout: Duration, attempts: Int, send: @escaping @Sendable () async -> SendOutcome
    ) async throws -> WaitResult {
        var lastError: any Error = BusError.timedOut
        for attempt in 0..<max(attempts, 1) {
            try Task.checkCancellation()
            if attempt > 0 { counters.increment("requests.resent") }
            do {
                return try await waitOnce(key: key, address: address, timeout: timeout, send: send)
            } catch let error as BusError {
                lastError = error
                if case .peerUnavailable = error {
                    try await Task.sleep(for: min(timeout, Backoff(base: .milliseconds(50), cap: .seconds(1)).delay(afterAttempt: attempt)))
                }
            }
        }
        throw lastError
    }

    private func waitOnce(
        key: String, address: PeerAddress, timeout: Duration, send: @escaping @Sendable () async -> SendOutcome
    ) async throws -> WaitResult {
        let ticket = Mutex<UInt64?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WaitResult, any Error>) in
                let registered = pending.withLock {
                    $0.register(key, address: address, continuation: continuation, resend: send)
                }
                let cancelled = ticket.withLock { current -> Bool in
                    current = registered
                    return Task.isCancelled
                }
                if cancelled {
                    settle(key, ticket: registered, throwing: CancellationError())
                    return
                }
                let timer = Task { await self.sendAndTime(key: key, ticket: registered, timeout: timeout, send: send) }
                if !pending.withLock({ $0.attach(timer, to: key, ticket: registered) }) { timer.cancel() }
            }
        } onCancel: {
            if let registered = ticket.withLock({ $0 }) { settle(key, ticket: registered, throwing: CancellationError()) }
        }
    }

    /// Offers the message until the attempt's deadline while the connection is still being
    /// made (IMMEDIATE refuses sends until then), then fails the attempt if no answer came.
    private func sendAndTime(
        key: String, ticket: UInt64, timeout: Duration, send: @Sendable () async -> SendOutcome
    ) async {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(5)
        var outcome = await send()
        while outcome == .peerUnavailable && ContinuousClock.now + pause < deadline {
            do { try await Task.sleep(for: pause) } catch { return }
            pause = min(pause * 2, .milliseconds(100))
            outcome = await send()
        }
        if outcome != .sent {
            settle(key, ticket: ticket, throwing: BusError.peerUnavailable(String(describing: outcome)))
            return
        }
        do { try await Task.sleep(until: deadline) } catch { return }
        settle(key, ticket: ticket, throwing: BusError.timedOut)
    }

    /// Ends one waiter with an error; a no-op once it was answered.
    private func settle(_ key: String, ticket: UInt64, throwing error: any Error) {
        guard let waiter = pending.withLock({ $0.remove(key, ticket: ticket) }) else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume(throwing: error)
    }

    /// Hands an answer to every waiter for it, but only when it came from where the request
    /// went: a forged REPLY or ACK from another peer must not complete someone else's call.
    func answer(_ key: String, from: PeerAddress, with result: WaitResult) -> Bool {
        let waiters = pending.withLock { $0.answer(key, from: from) }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: result)
        }
        return !waiters.isEmpty
    }

    /// Sends every request and delivery still waiting on `peer` again, under the same ids: the
    /// link reconnected, so whatever was in flight on the old connection is likely lost.
    func resendInFlight(to peer: PeerAddress) async {
        let resends = pending.withLock { $0.resends(to: peer) }
        guard !resends.isEmpty else { return }
        counters.increment("requests.resentOnReconnect", by: resends.count)
        for resend in resends { _ = await resend() }
    }
}
