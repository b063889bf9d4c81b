import LoomContract
import MCP

/// Keeps one MCP server running: starts it, waits for it to end, and starts it again after a
/// backoff (``McpBackoff``, waited on through ``McpTiming``). A call while it is down is a
/// structured retryable failure; a call while it is starting waits for that start (bounded by
/// the start-up timeout).
actor McpServerSupervisor {
    enum State: Sendable {
        case starting
        case up(any McpSession)
        case down(String)
    }

    let name: String
    private let connect: @Sendable () async throws -> any McpSession
    private let timing: McpTiming
    private var backoff: McpBackoff
    private var state: State = .starting
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Starts after the first one, for health counters and tests.
    private(set) var restarts = 0

    init(
        name: String, backoff: McpBackoff = McpBackoff(), timing: McpTiming = McpTiming(),
        connect: @escaping @Sendable () async throws -> any McpSession
    ) {
        self.name = name
        self.backoff = backoff
        self.timing = timing
        self.connect = connect
    }

    /// Runs until the task is cancelled; closes the live connection on the way out.
    func run() async {
        while !Task.isCancelled {
            let started = timing.now()
            var uptime: Duration?
            do {
                let session = try await connect()
                set(.up(session))
                await session.closed()
                if Task.isCancelled {
                    await session.close()
                    break
                }
                uptime = timing.now() - started
                set(.down("the server exited and is being restarted"))
            } catch {
                set(.down("it could not be started: \(error)"))
            }
            do {
                try await timing.sleep(backoff.next(after: uptime))
            } catch {
                break
            }
            restarts += 1
            set(.starting)
        }
        set(.down("the tools service is stopping"))
    }

    var isUp: Bool {
        if case .up = state { return true }
        return false
    }

    /// The live connection, after waiting for a start in progress; nil with the reason when down.
    func session() async -> Result<any McpSession, McpUnavailable> {
        if case .starting = state {
            await withCheckedContinuation { waiters.append($0) }
        }
        switch state {
        case .up(let session): return .success(session)
        case .down(let reason): return .failure(McpUnavailable(reason: reason))
        case .starting: return .failure(McpUnavailable(reason: "it is starting"))
        }
    }

    private func set(_ next: State) {
        state = next
        if case .starting = next { return }
        let woken = waiters
        waiters = []
        for waiter in woken { waiter.resume() }
    }
}

struct McpUnavailable: Error {
    let reason: String
}
