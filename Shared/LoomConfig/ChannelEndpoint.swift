import LoomContract

/// Where traffic arrives, what channel it is, and how replies are delivered.
public struct ChannelEndpoint: Sendable, Codable, Equatable {
    public enum DeliveryPolicy: String, Sendable, Codable, CaseIterable { case reply, draft, suppress, review }

    public var channel: Channel
    public var delivery: DeliveryPolicy
    /// Sessions on this endpoint roll over after this much inactivity.
    public var sessionInactivitySeconds: Double
    /// Sessions roll over after this many turns.
    public var sessionTurnLimit: Int

    enum CodingKeys: String, CodingKey { case channel, delivery, sessionInactivitySeconds, sessionTurnLimit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channel = try c.decode(Channel.self, forKey: .channel)
        delivery = try c.decodeIfPresent(DeliveryPolicy.self, forKey: .delivery) ?? .reply
        sessionInactivitySeconds = try c.decodeIfPresent(Double.self, forKey: .sessionInactivitySeconds) ?? 86_400
        sessionTurnLimit = try c.decodeIfPresent(Int.self, forKey: .sessionTurnLimit) ?? 200
    }
}

/// Which agent owns traffic arriving on an endpoint.
public struct ChannelRoute: Sendable, Codable, Equatable {
    public var name: String
    public var endpoint: String
    public var agent: String
    /// Whether a caller on this endpoint may name another agent explicitly (API callers do).
    public var allowExplicitAgent: Bool

    enum CodingKeys: String, CodingKey { case name, endpoint, agent, allowExplicitAgent }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        endpoint = try c.decode(String.self, forKey: .endpoint)
        agent = try c.decode(String.self, forKey: .agent)
        allowExplicitAgent = try c.decodeIfPresent(Bool.self, forKey: .allowExplicitAgent) ?? false
    }
}
