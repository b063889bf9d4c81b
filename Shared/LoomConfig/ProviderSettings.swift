/// How long the gateway waits for a provider.
public struct ProviderTimeouts: Sendable, Codable, Equatable {
    /// Establishing the connection (TCP and TLS).
    public var connectSeconds: Double
    /// The whole call, from the request to the last byte of the answer (or of the stream).
    public var totalSeconds: Double

    public init(connectSeconds: Double = 10, totalSeconds: Double = 120) {
        self.connectSeconds = connectSeconds
        self.totalSeconds = totalSeconds
    }

    enum CodingKeys: String, CodingKey { case connectSeconds, totalSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        connectSeconds = try c.decodeIfPresent(Double.self, forKey: .connectSeconds) ?? 10
        totalSeconds = try c.decodeIfPresent(Double.self, forKey: .totalSeconds) ?? 120
    }
}

/// Retries of one provider for 429, 5xx, timeouts and transport errors: capped exponential
/// backoff with full jitter, or the provider's `Retry-After` when it sends one.
public struct ProviderRetries: Sendable, Codable, Equatable {
    /// Calls in all, the first included.
    public var maxAttempts: Int
    public var baseDelayMilliseconds: Int
    public var maxDelayMilliseconds: Int

    public init(maxAttempts: Int = 3, baseDelayMilliseconds: Int = 500, maxDelayMilliseconds: Int = 8_000) {
        self.maxAttempts = maxAttempts
        self.baseDelayMilliseconds = baseDelayMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
    }

    enum CodingKeys: String, CodingKey { case maxAttempts, baseDelayMilliseconds, maxDelayMilliseconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 3
        baseDelayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .baseDelayMilliseconds) ?? 500
        maxDelayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .maxDelayMilliseconds) ?? 8_000
    }
}

/// What one gateway process sends a provider at most; calls over a limit wait their turn (in
/// arrival order) instead of failing, up to `queueTimeoutSeconds`.
public struct ProviderLimits: Sendable, Codable, Equatable {
    public var concurrency: Int?
    public var requestsPerMinute: Int?
    /// Counted from the prompt's estimated size plus the answer's allowance when sending, and
    /// corrected to the provider's reported usage afterwards.
    public var tokensPerMinute: Int?
    public var queueTimeoutSeconds: Double

    public init(concurrency: Int? = nil, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, queueTimeoutSeconds: Double = 60) {
        self.concurrency = concurrency
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.queueTimeoutSeconds = queueTimeoutSeconds
    }

    enum CodingKeys: String, CodingKey { case concurrency, requestsPerMinute, tokensPerMinute, queueTimeoutSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
        requestsPerMinute = try c.decodeIfPresent(Int.self, forKey: .requestsPerMinute)
        tokensPerMinute = try c.decodeIfPresent(Int.self, forKey: .tokensPerMinute)
        queueTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .queueTimeoutSeconds) ?? 60
    }
}

/// Prices in US dollars per million tokens.
public struct ProviderPrices: Sendable, Codable, Equatable {
    public var inputPerMillion: Double
    public var outputPerMillion: Double

    public init(inputPerMillion: Double, outputPerMillion: Double) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    public func cost(inputTokens: Int, outputTokens: Int) -> Double {
        (Double(inputTokens) * inputPerMillion + Double(outputTokens) * outputPerMillion) / 1_000_000
    }
}

extension LoomMetadata {
    /// How long a caller should wait for the gateway to answer a completion for `provider`:
    /// every attempt of the provider and of each fallback at its total timeout, the backoff
    /// between attempts and the time queued behind limits, plus a margin. Never under a minute.
    public func completionBudget(provider name: String) -> Duration {
        guard let primary = providers[name] else { return .seconds(60) }
        var seconds = 5.0
        for config in ([primary] + primary.fallback.compactMap { providers[$0] }) {
            switch config.type {
            case .scripted:
                seconds += 5 + Double(config.rules.map(\.delayMilliseconds).max() ?? 0) / 1000
            case .openai, .anthropic:
                let attempts = Double(max(config.retries.maxAttempts, 1))
                seconds += attempts * config.timeouts.totalSeconds + (attempts - 1) * Double(config.retries.maxDelayMilliseconds) * 2 / 1000
                    + config.limits.queueTimeoutSeconds
            }
        }
        return .milliseconds(Int(max(seconds, 60) * 1000))
    }
}
