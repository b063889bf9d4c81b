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

/// "When the latest user text matches this pattern, answer with this template."
///
/// Templates may use `{{lastUser}}`, `{{firstUser}}`, `{{lastUserEmail}}`, `{{priorTurns}}` and `{{agent}}`.
public struct ScriptedRule: Sendable, Codable, Equatable {
    /// A regular expression matched against the latest user message.
    public var when: String
    public var reply: String
}
