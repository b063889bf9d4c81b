/// How long the orchestrator keeps retrying a call that failed in a way asking again may fix
/// (`retryable`: the tool's store was unavailable, the service could not be reached) before the
/// failure reaches the model. Retries of a side-effecting call keep its idempotency key, so the
/// effect happens at most once whichever attempt gets through.
public struct RetryBudget: Sendable, Codable, Equatable {
    /// Attempts in all, the first included.
    public var attempts: Int
    /// Retries start only while this much time has passed since the first attempt started.
    public var withinSeconds: Double
    /// The wait before the second attempt; it doubles per attempt up to `maxDelayMilliseconds`.
    public var baseDelayMilliseconds: Int
    public var maxDelayMilliseconds: Int

    /// The defaults retry for about 16 s (250 ms doubling to 4 s between attempts): long enough to
    /// ride out a restarting service or a few seconds of full disk, short enough for a person.
    public init(
        attempts: Int = 8, withinSeconds: Double = 30, baseDelayMilliseconds: Int = 250, maxDelayMilliseconds: Int = 4000
    ) {
        self.attempts = attempts
        self.withinSeconds = withinSeconds
        self.baseDelayMilliseconds = baseDelayMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
    }

    enum CodingKeys: String, CodingKey { case attempts, withinSeconds, baseDelayMilliseconds, maxDelayMilliseconds }

    public init(from decoder: any Decoder) throws {
        let defaults = RetryBudget()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? defaults.attempts
        withinSeconds = try c.decodeIfPresent(Double.self, forKey: .withinSeconds) ?? defaults.withinSeconds
        baseDelayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .baseDelayMilliseconds) ?? defaults.baseDelayMilliseconds
        maxDelayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .maxDelayMilliseconds) ?? defaults.maxDelayMilliseconds
    }

    /// The wait before attempt `attempt + 1`, or nil when the budget allows no further attempt.
    /// - Parameter elapsedSeconds: time since the first attempt started.
    public func delayMilliseconds(afterAttempt attempt: Int, elapsedSeconds: Double) -> Int? {
        guard attempt < attempts, elapsedSeconds < withinSeconds else { return nil }
        let exponent = min(max(attempt - 1, 0), 20)
        return min(baseDelayMilliseconds << exponent, maxDelayMilliseconds)
    }

    /// Problems with these settings, for the config check.
    public var problems: [String] {
        var problems: [String] = []
        if attempts < 1 || attempts > 20 { problems.append("attempts must be between 1 and 20") }
        if withinSeconds < 0 || withinSeconds > 3600 { problems.append("withinSeconds must be between 0 and 3600") }
        if baseDelayMilliseconds < 0 || maxDelayMilliseconds < baseDelayMilliseconds || maxDelayMilliseconds > 600_000 {
            problems.append("delays must be non-negative, the maximum at least the base and at most 600000")
        }
        return problems
    }
}
