import Foundation
import LoomContract
import Synchronization

/// Waiting for answers: each call or delivery registers a waiter, sends, and times its own
/// attempt; an answer from the right peer settles every waiter on that key.
extension BusNode {
    /// - Parameters:
    ///   - frame: what to send on each attempt;
    ///   - send: the same, sent and awaited, for the rare resends (a link coming back, a
    ///     connection still being made).
    func exchange(
        key: String, address: PeerAddress, timeout: Duration, attempts: Int, frame: HopFrame,
        send: @escaping @Sendable () async -> SendOutcome
    ) async throws -> WaitResult {
        var lastError: any Error = BusError.timedOut
        for attempt in 0..<max(attempts, 1) {
            try Task.checkCancellation()
            if attempt > 0 { counters.increment("requests.resent") }
            do {
                return try await waitOnce(key: key, address: address, timeout: timeout, frame: frame, send: send)
            } catch let error as BusError {
                lastError = error
                if case .peerUnavailable = error {
                    try await Task.sleep(for: min(timeout, Backoff(base: .milliseconds(50), cap: .seconds(1)).delay(afterAttempt: attempt)))
                }
            }
        }
        throw lastError
    }

    /// One attempt: the waiter is registered, its deadline goes to the node's one timer, and the
    /// frame is handed to the engine, which reports a failed send from its own thread. In the
    /// usual case nothing wakes the caller until the answer does.
    private func waitOnce(
        key: String, address: PeerAddress, timeout: Duration, frame: HopFrame,
        send: @escaping @Sendable () async -> SendOutcome
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
                let deadline = ContinuousClock.now + timeout
                deadlines.add(registered, at: deadline) {
                    self.settle(key, ticket: registered, throwing: BusError.timedOut)
                }
                post(frame, to: address) { outcome in
                    guard outcome != .sent else { return }
                    self.unsent(key: key, ticket: registered, outcome: outcome, deadline: deadline, send: send)
                }
            }
        } onCancel: {
            if let registered = ticket.withLock({ $0 }) { settle(key, ticket: registered, throwing: CancellationError()) }
        }
    }

    /// A send that did not go out. While the connection is still being made (IMMEDIATE refuses
    /// sends until then) the message is offered again until the attempt's deadline; anything
    /// else fails the attempt now.
    private func unsent(
        key: String, ticket: UInt64, outcome: SendOutcome, deadline: ContinuousClock.Instant,
        send: @escaping @Sendable () async -> SendOutcome
    ) {
        guard outcome == .peerUnavailable else {
            settle(key, ticket: ticket, throwing: BusError.peerUnavailable(String(describing: outcome)))
            return
        }
        let retry = Task {
            var pause = Duration.milliseconds(5)
            var outcome = outcome
            while outcome == .peerUnavailable && ContinuousClock.now + pause < deadline {
                do { try await Task.sleep(for: pause) } catch { return }
                pause = min(pause * 2, .milliseconds(100))
                outcome = await send()
            }
            if outcome != .sent {
                self.settle(key, ticket: ticket, throwing: BusError.peerUnavailable(String(describing: outcome)))
            }
        }
        if !pending.withLock({ $0.attach(retry, to: key, ticket: ticket) }) { retry.cancel() }
    }

    /// Ends one waiter with an error; a no-op once it was answered.
    private func settle(_ key: String, ticket: UInt64, throwing error: any Error) {
        guard let waiter = pending.withLock({ $0.remove(key, ticket: ticket) }) else { return }
        deadlines.remove(ticket)
        waiter.timer?.cancel()
        waiter.continuation.resume(throwing: error)
    }

    /// Hands an answer to every waiter for it, but only when it came from where the request
    /// went: a forged REPLY or ACK from another peer must not complete someone else's call.
    func answer(_ key: String, from: PeerAddress, with result: WaitResult) -> Bool {
        let waiters = pending.withLock { $0.answer(key, from: from) }
        for (ticket, waiter) in waiters {
            deadlines.remove(ticket)
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
