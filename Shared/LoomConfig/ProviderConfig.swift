import LoomContract

/// A model provider the gateway can call.
///
/// `openai` speaks the chat-completions API, which also covers Azure OpenAI (set `apiVersion`;
/// the key then goes in an `api-key` header and the base URL names the deployment), Ollama,
/// vLLM, LM Studio and other compatible servers by base URL. `anthropic` speaks the messages
/// API. `scripted` answers offline from rules.
public struct ProviderConfig: Sendable, Codable, Equatable {
    public enum ProviderType: String, Sendable, Codable, CaseIterable { case scripted, openai, anthropic }

    public var type: ProviderType
    public var model: String
    public var baseURL: String?
    /// Where the key is: `env:NAME` or `file:/path`, read by the gateway only. `apiKeyEnv: NAME`
    /// is accepted as a short form of `env:NAME`.
    public var apiKey: SecretReference?
    /// Azure OpenAI's `api-version` query parameter; its presence selects Azure's `api-key` header.
    public var apiVersion: String?
    /// The `anthropic-version` header.
    public var anthropicVersion: String
    /// Used when the agent sets none.
    public var temperature: Double?
    public var maxTokens: Int?
    public var timeouts: ProviderTimeouts
    public var retries: ProviderRetries
    public var limits: ProviderLimits
    public var prices: ProviderPrices?
    /// Providers to try, in order, when this one is down (after its own retries).
    public var fallback: [String]
    /// Whether the server honours `response_format` with a JSON schema (OpenAI-style only).
    public var structuredOutput: Bool
    /// The moderation model for the provider-native safety check (OpenAI-style only).
    public var moderationModel: String?
    /// Rules of the offline `scripted` provider, tried in order; the first match answers.
    public var rules: [ScriptedRule]
    /// The scripted answer when no rule matches.
    public var defaultReply: String?

    enum CodingKeys: String, CodingKey {
        case type, model, baseURL, apiKey, apiKeyEnv, apiVersion, anthropicVersion, temperature, maxTokens, timeouts, retries, limits
        case prices, fallback, structuredOutput, moderationModel, rules, defaultReply
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(ProviderType.self, forKey: .type)
        model = try c.decode(String.self, forKey: .model)
        baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL)
        apiKey = try c.decodeIfPresent(SecretReference.self, forKey: .apiKey)
            ?? c.decodeIfPresent(String.self, forKey: .apiKeyEnv).map { SecretReference("env:\($0)") }
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        anthropicVersion = try c.decodeIfPresent(String.self, forKey: .anthropicVersion) ?? "2023-06-01"
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        timeouts = try c.decodeIfPresent(ProviderTimeouts.self, forKey: .timeouts) ?? ProviderTimeouts()
        retries = try c.decodeIfPresent(ProviderRetries.self, forKey: .retries) ?? ProviderRetries()
        limits = try c.decodeIfPresent(ProviderLimits.self, forKey: .limits) ?? ProviderLimits()
        prices = try c.decodeIfPresent(ProviderPrices.self, forKey: .prices)
        fallback = try c.decodeIfPresent([String].self, forKey: .fallback) ?? []
        structuredOutput = try c.decodeIfPresent(Bool.self, forKey: .structuredOutput) ?? true
        moderationModel = try c.decodeIfPresent(String.self, forKey: .moderationModel)
        rules = try c.decodeIfPresent([ScriptedRule].self, forKey: .rules) ?? []
        defaultReply = try c.decodeIfPresent(String.self, forKey: .defaultReply)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(model, forKey: .model)
        try c.encodeIfPresent(baseURL, forKey: .baseURL)
        try c.encodeIfPresent(apiKey, forKey: .apiKey)
        try c.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try c.encode(anthropicVersion, forKey: .anthropicVersion)
        try c.encodeIfPresent(temperature, forKey: .temperature)
        try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try c.encode(timeouts, forKey: .timeouts)
        try c.encode(retries, forKey: .retries)
        try c.encode(limits, forKey: .limits)
        try c.encodeIfPresent(prices, forKey: .prices)
        try c.encode(fallback, forKey: .fallback)
        try c.encode(structuredOutput, forKey: .structuredOutput)
        try c.encodeIfPresent(moderationModel, forKey: .moderationModel)
        try c.encode(rules, forKey: .rules)
        try c.encodeIfPresent(defaultReply, forKey: .defaultReply)
    }

    /// The base URL a provider of this type uses when none is configured.
    public var resolvedBaseURL: String? {
        if let baseURL { return baseURL }
        switch type {
        case .openai: return "https://api.openai.com/v1"
        case .anthropic: return "https://api.anthropic.com/v1"
        case .scripted: return nil
        }
    }

    /// Whether calls go out without a key: local OpenAI-compatible servers (Ollama, vLLM, LM
    /// Studio) usually take none; the hosted APIs always need one.
    public var needsKey: Bool {
        switch type {
        case .scripted: return false
        case .anthropic: return true
        case .openai: return apiVersion != nil || baseURL == nil || baseURL?.contains("api.openai.com") == true
        }
    }
}

/// "When the latest user text matches this pattern, (call these tools, then) answer with this
/// template."
///
/// Templates may use `{{lastUser}}`, `{{firstUser}}`, `{{lastUserEmail}}`, `{{priorTurns}}`,
/// `{{agent}}`, `{{1}}`… (the pattern's capture groups), and after tool calls `{{tool.PATH}}`
/// (a value from the first tool result, e.g. `{{tool.result.fields.status}}` or
/// `{{tool.code}}`) and `{{toolN.PATH}}` for the N-th result. A rule with calls but no reply
/// keeps calling tools after every result, like a model that never settles. `failureReply`, when
/// set, answers instead of `reply` once a tool result says `success: false`, so the offline model
/// reports a failed action as failed, as a careful model would.
public struct ScriptedRule: Sendable, Codable, Equatable {
    /// A regular expression matched against the latest user message (its first 4096 characters).
    public var when: String
    public var reply: String?
    /// The answer when a tool result reports a failure (nil: `reply` answers either way).
    public var failureReply: String?
    /// Tools to call (in one response, so they run concurrently) before answering.
    public var calls: [ScriptedToolCall]
    /// How long the final answer takes, like a slow model (0 by default).
    public var delayMilliseconds: Int

    enum CodingKeys: String, CodingKey { case when, reply, failureReply, call, calls, delayMilliseconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        when = try c.decode(String.self, forKey: .when)
        reply = try c.decodeIfPresent(String.self, forKey: .reply)
        failureReply = try c.decodeIfPresent(String.self, forKey: .failureReply)
        calls = try c.decodeIfPresent([ScriptedToolCall].self, forKey: .calls) ?? []
        if let single = try c.decodeIfPresent(ScriptedToolCall.self, forKey: .call) { calls.insert(single, at: 0) }
        delayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .delayMilliseconds) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(when, forKey: .when)
        try c.encodeIfPresent(reply, forKey: .reply)
        try c.encodeIfPresent(failureReply, forKey: .failureReply)
        try c.encode(calls, forKey: .calls)
        try c.encode(delayMilliseconds, forKey: .delayMilliseconds)
    }
}

/// A tool call the scripted provider makes; string arguments may use `{{1}}`… capture groups.
public struct ScriptedToolCall: Sendable, Codable, Equatable {
    public var tool: String
    public var arguments: JSONValue
}
