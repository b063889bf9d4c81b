import LoomContract

/// Something an agent can do, as the model sees it (name, description, parameters) and as the
/// runtime runs it (implementation type, admin-owned backend settings, exposure, human gates).
public struct CapabilityDefinition: Sendable, Codable, Equatable {
    public enum Implementation: String, Sendable, Codable, CaseIterable { case standard, command, agent, mcp }
    /// `model`: offered to the model; `internal`: callable by the runtime only.
    public enum Exposure: String, Sendable, Codable, CaseIterable { case model, `internal` }
    /// How a human takes part before the call runs (enforced by the trust layer).
    public enum HITLMode: String, Sendable, Codable, CaseIterable {
        case none, confirmation, approval, confirmationThenApproval, conditionalApproval
    }

    public var description: String
    public var type: Implementation
    /// JSON Schema of the arguments.
    public var parameters: JSONValue
    /// Settings the model never sees: for `standard`, the `action` and its limits (e.g.
    /// `objectTypes`); for `agent`, the agent to run; for `command`, the program; for `mcp`, the
    /// `server` (in `mcpServers`) and its `tool`.
    public var backend: [String: JSONValue]
    public var exposure: Exposure
    public var hitl: HITLMode
    /// Whether the call changes something; such calls carry an idempotency key.
    public var sideEffects: Bool
    /// How long a retryable failure is retried before the model sees it.
    public var retry: RetryBudget

    /// The standard actions the tools service implements.
    public static let standardActions: Set<String> = ["get_record", "query_records", "create_record", "update_record", "post_note"]
    static let sideEffectingActions: Set<String> = ["create_record", "update_record", "post_note"]

    enum CodingKeys: String, CodingKey { case description, type, parameters, backend, exposure, hitl, sideEffects, retry }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decode(String.self, forKey: .description)
        type = try c.decodeIfPresent(Implementation.self, forKey: .type) ?? .standard
        parameters = try c.decodeIfPresent(JSONValue.self, forKey: .parameters) ?? .object(["type": .string("object")])
        backend = try c.decodeIfPresent([String: JSONValue].self, forKey: .backend) ?? [:]
        exposure = try c.decodeIfPresent(Exposure.self, forKey: .exposure) ?? .model
        hitl = try c.decodeIfPresent(HITLMode.self, forKey: .hitl) ?? .none
        let action = backend["action"]?.stringValue ?? ""
        sideEffects = try c.decodeIfPresent(Bool.self, forKey: .sideEffects) ?? Self.sideEffectingActions.contains(action)
        retry = try c.decodeIfPresent(RetryBudget.self, forKey: .retry) ?? RetryBudget()
    }

    /// The standard action this capability runs, if it is a standard one.
    public var action: String? { type == .standard ? backend["action"]?.stringValue : nil }
}
