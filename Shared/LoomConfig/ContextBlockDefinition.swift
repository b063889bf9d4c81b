import LoomContract

/// A block of data added to an agent's prompt: a record from the record store (found by an id
/// pattern in the conversation, e.g. the case), facts about the session or the principal, or
/// static text. Each is capped in size and says what happens when it cannot be filled.
public struct ContextBlockDefinition: Sendable, Codable, Equatable {
    public enum Source: String, Sendable, Codable, CaseIterable { case record, session, principal, `static` }
    /// `skip`: leave the block out; `warn`: leave it out and record why in the trace; `fail`:
    /// fail the execution.
    public enum FailureMode: String, Sendable, Codable, CaseIterable { case skip, warn, fail }

    public var name: String
    public var source: Source
    /// For `record`: the object type, and the pattern that finds its id in the conversation.
    public var objectType: String?
    public var idPattern: String?
    /// For `static`.
    public var text: String?
    public var maxCharacters: Int
    public var onFailure: FailureMode

    enum CodingKeys: String, CodingKey { case name, source, objectType, idPattern, text, maxCharacters, onFailure }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        source = try c.decode(Source.self, forKey: .source)
        objectType = try c.decodeIfPresent(String.self, forKey: .objectType)
        idPattern = try c.decodeIfPresent(String.self, forKey: .idPattern)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        maxCharacters = try c.decodeIfPresent(Int.self, forKey: .maxCharacters) ?? 2000
        onFailure = try c.decodeIfPresent(FailureMode.self, forKey: .onFailure) ?? .warn
    }
}

/// An example exchange shown to the model in the system prompt.
public struct PromptExample: Sendable, Codable, Equatable {
    public var user: String
    public var assistant: String
}
