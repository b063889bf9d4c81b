import LoomContract

/// A model provider the gateway can call.
public struct ProviderConfig: Sendable, Codable, Equatable {
    public enum ProviderType: String, Sendable, Codable, CaseIterable { case scripted, openai, anthropic }

    public var type: ProviderType
    public var model: String
    public var baseURL: String?
    /// Name of the environment variable holding the key; read by the gateway only.
    public var apiKeyEnv: String?
    /// Rules of the offline `scripted` provider, tried in order; the first match answers.
    public var rules: [ScriptedRule]
    /// The scripted answer when no rule matches.
    public var defaultReply: String?

    enum CodingKeys: String, CodingKey { case type, model, baseURL, apiKeyEnv, rules, defaultReply }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(ProviderType.self, forKey: .type)
        model = try c.decode(String.self, forKey: .model)
        baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL)
        apiKeyEnv = try c.decodeIfPresent(String.self, forKey: .apiKeyEnv)
        rules = try c.decodeIfPresent([ScriptedRule].self, forKey: .rules) ?? []
        defaultReply = try c.decodeIfPresent(String.self, forKey: .defaultReply)
    }
}

/// "When the latest user text matches this pattern, (call these tools, then) answer with this
/// template."
///
/// Templates may use `{{lastUser}}`, `{{firstUser}}`, `{{lastUserEmail}}`, `{{priorTurns}}`,
/// `{{agent}}`, `{{1}}`… (the pattern's capture groups), and after tool calls `{{tool.PATH}}`
/// (a value from the first tool result, e.g. `{{tool.result.fields.status}}` or
/// `{{tool.code}}`) and `{{toolN.PATH}}` for the N-th result. A rule with calls but no reply
/// keeps calling tools after every result, like a model that never settles.
public struct ScriptedRule: Sendable, Codable, Equatable {
    /// A regular expression matched against the latest user message.
    public var when: String
    public var reply: String?
    /// Tools to call (in one response, so they run concurrently) before answering.
    public var calls: [ScriptedToolCall]
    /// How long the final answer takes, like a slow model (0 by default).
    public var delayMilliseconds: Int

    enum CodingKeys: String, CodingKey { case when, reply, call, calls, delayMilliseconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        when = try c.decode(String.self, forKey: .when)
        reply = try c.decodeIfPresent(String.self, forKey: .reply)
        calls = try c.decodeIfPresent([ScriptedToolCall].self, forKey: .calls) ?? []
        if let single = try c.decodeIfPresent(ScriptedToolCall.self, forKey: .call) { calls.insert(single, at: 0) }
        delayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .delayMilliseconds) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(when, forKey: .when)
        try c.encodeIfPresent(reply, forKey: .reply)
        try c.encode(calls, forKey: .calls)
        try c.encode(delayMilliseconds, forKey: .delayMilliseconds)
    }
}

/// A tool call the scripted provider makes; string arguments may use `{{1}}`… capture groups.
public struct ScriptedToolCall: Sendable, Codable, Equatable {
    public var tool: String
    public var arguments: JSONValue
}
