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

    /// - `readOnly`: changes nothing; run again freely.
    /// - `idempotent`: running it again has the same result (a PUT, setting a status); recorded
    ///   under its idempotency key, and run again when a crash left its outcome unknown.
    /// - `irreversible`: each run acts (a payment, an e-mail); recorded under its key, never run
    ///   a second time, and a failure of its own is never retried automatically.
    public enum Effect: String, Sendable, Codable, CaseIterable { case readOnly, idempotent, irreversible }

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
    /// What a call does to the world, which decides whether it may run again.
    public var effect: Effect
    /// How long a retryable failure is retried before the model sees it.
    public var retry: RetryBudget

    /// The standard actions the tools service implements.
    public static let standardActions: Set<String> = [
        "get_record", "query_records", "create_record", "update_record", "post_note", "http_callout", "send_email",
    ]
    /// The effect of each standard action when the capability does not declare one.
    public static let actionEffects: [String: Effect] = [
        "get_record": .readOnly, "query_records": .readOnly, "update_record": .idempotent,
        "create_record": .irreversible, "post_note": .irreversible, "http_callout": .irreversible,
        "send_email": .irreversible,
    ]
    /// Actions that change the record store, in its own transactions.
    public static let recordActions: Set<String> = ["create_record", "update_record", "post_note"]
    /// Actions that act outside the record store, so outside any transaction of it.
    public static let outsideActions: Set<String> = ["http_callout", "send_email"]

    enum CodingKeys: String, CodingKey {
        case description, type, parameters, backend, exposure, hitl, effect, sideEffects, retry
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decode(String.self, forKey: .description)
        type = try c.decodeIfPresent(Implementation.self, forKey: .type) ?? .standard
        parameters = try c.decodeIfPresent(JSONValue.self, forKey: .parameters) ?? .object(["type": .string("object")])
        backend = try c.decodeIfPresent([String: JSONValue].self, forKey: .backend) ?? [:]
        exposure = try c.decodeIfPresent(Exposure.self, forKey: .exposure) ?? .model
        hitl = try c.decodeIfPresent(HITLMode.self, forKey: .hitl) ?? .none
        let declared = try c.decodeIfPresent(Effect.self, forKey: .effect)
        let sideEffects = try c.decodeIfPresent(Bool.self, forKey: .sideEffects)
        if let declared {
            if let sideEffects, sideEffects != (declared != .readOnly) {
                throw DecodingError.dataCorruptedError(
                    forKey: .sideEffects, in: c, debugDescription: "sideEffects: \(sideEffects) contradicts effect: \(declared)")
            }
            effect = declared
        } else if let sideEffects {
            // The older flag: a call that changes something, with nothing said about repeating it.
            effect = sideEffects ? .irreversible : .readOnly
        } else if type == .standard {
            effect = Self.actionEffects[backend["action"]?.stringValue ?? ""] ?? .readOnly
        } else if type == .agent {
            // A child agent's own tools keep their own ledger.
            effect = .readOnly
        } else {
            // Outside programs and servers are assumed to act until the admin says otherwise.
            effect = .irreversible
        }
        retry = try c.decodeIfPresent(RetryBudget.self, forKey: .retry) ?? RetryBudget()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(description, forKey: .description)
        try c.encode(type, forKey: .type)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(backend, forKey: .backend)
        try c.encode(exposure, forKey: .exposure)
        try c.encode(hitl, forKey: .hitl)
        try c.encode(effect, forKey: .effect)
        try c.encode(retry, forKey: .retry)
    }

    /// Whether the call changes something; such calls carry an idempotency key and are recorded
    /// in the tools service's ledger.
    public var sideEffects: Bool { effect != .readOnly }

    /// The standard action this capability runs, if it is a standard one.
    public var action: String? { type == .standard ? backend["action"]?.stringValue : nil }
}

extension CapabilityDefinition {
    /// The secrets an `http_callout` or `send_email` backend names; tools' alone.
    public var secretReferences: [SecretReference] {
        switch action {
        case "http_callout": (try? HTTPCalloutBackend(backend: backend))?.secrets ?? []
        case "send_email": (try? EmailBackend(backend: backend))?.secrets ?? []
        default: []
        }
    }
}
