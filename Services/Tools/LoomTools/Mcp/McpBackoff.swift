/// When a dead MCP server is started again: doubling from `initial` up to `maximum`, back to
/// `initial` once a start has stayed up for `stable`. Pure, so the supervisor's waits are
/// decided without a clock.
struct McpBackoff: Sendable, Equatable {
    var initial: Duration = .milliseconds(200)
    var maximum: Duration = .seconds(30)
    var stable: Duration = .seconds(60)
    /// Starts in a row that failed or did not stay up for `stable`.
    private(set) var failures = 0

    /// The wait before the next start, after a run that lasted `uptime` (nil: it never came up).
    mutating func next(after uptime: Duration?) -> Duration {
        if let uptime, uptime >= stable { failures = 0 }
        let delay = failures >= 30 ? maximum : min(maximum, initial * (1 << failures))
        failures += 1
        return delay
    }
}
