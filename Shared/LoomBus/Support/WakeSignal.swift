import Synchronization

/// A level-triggered wake-up: firing while nobody waits is remembered for the next wait.
/// A wait ends on a fire, on its timeout, or when its task is cancelled.
final class WakeSignal: Sendable {
    private struct State {
        var fired = false
        var waiter: (ticket: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextTicket: UInt64 = 0
    }

    private let state = Mutex(State())

    func fire() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.fired = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    func wait(upTo timeout: Duration) async {
        let ticket = state.withLock { state -> UInt64 in
            state.nextTicket += 1
            return state.nextTicket
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.release(ticket)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.fired || Task.isCancelled {
                        state.fired = false
                        return true
                    }
                    state.waiter = (ticket, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            release(ticket)
        }
    }

    /// Ends the wait with this ticket, if it is still the one waiting.
    private func release(_ ticket: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.ticket == ticket else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
