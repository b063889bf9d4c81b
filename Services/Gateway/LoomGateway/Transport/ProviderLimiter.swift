import LoomConfig

/// Keeps one gateway process within a provider's limits: calls in flight, requests per
/// minute and tokens per minute. A call over a limit waits in arrival order until it fits,
/// and fails only after the queue timeout.
actor ProviderLimiter {
    struct Permit: Sendable {
        let id: UInt64
    }

    private struct Waiter {
        let id: UInt64
        let tokens: Int
        let continuation: CheckedContinuation<Permit, any Error>
        /// Fails the wait at the queue timeout; cancelled once the waiter gets its turn.
        let timeout: Task<Void, Never>
    }

    struct QueueTimeout: Error {}

    private let limits: ProviderLimits
    /// The sliding window the per-minute limits count over (shorter in tests).
    private let window: Duration
    private var inFlight = 0
    private var recent: [(id: UInt64, at: ContinuousClock.Instant, tokens: Int)] = []
    private var queue: [Waiter] = []
    private var nextId: UInt64 = 0
    private var wakeScheduled = false

    init(limits: ProviderLimits, window: Duration = .seconds(60)) {
        self.limits = limits
        self.window = window
    }

    /// Waits until a call of about `tokens` tokens may start.
    func acquire(tokens: Int) async throws -> Permit {
        nextId += 1
        let id = nextId
        if queue.isEmpty, fits(tokens) { return start(id, tokens: tokens) }
        let timeout = limits.queueTimeoutSeconds
        return try await withCheckedThrowingContinuation { continuation in
            let timer = Task {
                guard (try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))) != nil else { return }
                self.expire(id)
            }
            queue.append(Waiter(id: id, tokens: tokens, continuation: continuation, timeout: timer))
            pump()
        }
    }

    /// The call ended; `tokens` corrects the estimate to what the provider reported.
    func release(_ permit: Permit, tokens: Int?) {
        inFlight -= 1
        if let tokens, let index = recent.firstIndex(where: { $0.id == permit.id }) { recent[index].tokens = tokens }
        pump()
    }

    private func fits(_ tokens: Int) -> Bool {
        let now = ContinuousClock.now
        recent.removeAll { now - $0.at >= window }
        if let concurrency = limits.concurrency, inFlight >= concurrency { return false }
        if let rpm = limits.requestsPerMinute, recent.count >= rpm { return false }
        // A call larger than the whole allowance still goes, alone, once the window is empty.
        if let tpm = limits.tokensPerMinute, !recent.isEmpty, recent.reduce(0, { $0 + $1.tokens }) + tokens > tpm { return false }
        return true
    }

    private func start(_ id: UInt64, tokens: Int) -> Permit {
        inFlight += 1
        recent.append((id, ContinuousClock.now, tokens))
        return Permit(id: id)
    }

    private func pump() {
        while let head = queue.first, fits(head.tokens) {
            queue.removeFirst()
            head.timeout.cancel()
            head.continuation.resume(returning: start(head.id, tokens: head.tokens))
        }
        // Blocked by the window rather than by calls in flight: look again when its oldest entry leaves.
        if !queue.isEmpty, !wakeScheduled, let oldest = recent.first {
            wakeScheduled = true
            let wait = window - (ContinuousClock.now - oldest.at)
            Task {
                try? await Task.sleep(for: max(wait, .milliseconds(1)))
                self.wake()
            }
        }
    }

    private func wake() {
        wakeScheduled = false
        pump()
    }

    private func expire(_ id: UInt64) {
        guard let index = queue.firstIndex(where: { $0.id == id }) else { return }
        queue.remove(at: index).continuation.resume(throwing: QueueTimeout())
        pump()
    }
}
