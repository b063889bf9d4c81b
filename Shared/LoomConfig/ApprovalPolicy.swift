/// Who approves which tool calls, and how long an approval may wait.
///
/// A pending approval goes to the route that matches its capability and agent with the
/// highest `priority`, and among those the most specific one (fewer wildcards). Deciding
/// needs a token of one of the route's approver groups.
public struct ApprovalPolicy: Sendable, Codable, Equatable {
    public var routes: [Route]
    /// Group name → its members' tokens (`env:NAME` or `file:/path`).
    public var approvers: [String: ApproverGroup]
    /// How long a pending approval waits when its route says nothing.
    public var expiresAfterSeconds: Double

    public init(routes: [Route] = [], approvers: [String: ApproverGroup] = [:], expiresAfterSeconds: Double = 3600) {
        self.routes = routes
        self.approvers = approvers
        self.expiresAfterSeconds = expiresAfterSeconds
    }

    enum CodingKeys: String, CodingKey { case routes, approvers, expiresAfterSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        routes = try c.decodeIfPresent([Route].self, forKey: .routes) ?? []
        approvers = try c.decodeIfPresent([String: ApproverGroup].self, forKey: .approvers) ?? [:]
        expiresAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .expiresAfterSeconds) ?? 3600
    }

    public struct Route: Sendable, Codable, Equatable {
        public var name: String
        /// `*` or a capability name.
        public var capability: String
        /// `*` or an agent name.
        public var agent: String
        public var approvers: [String]
        public var priority: Int
        public var expiresAfterSeconds: Double?

        public init(name: String, capability: String = "*", agent: String = "*", approvers: [String], priority: Int = 0, expiresAfterSeconds: Double? = nil) {
            self.name = name
            self.capability = capability
            self.agent = agent
            self.approvers = approvers
            self.priority = priority
            self.expiresAfterSeconds = expiresAfterSeconds
        }

        enum CodingKeys: String, CodingKey { case name, capability, agent, approvers, priority, expiresAfterSeconds }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            capability = try c.decodeIfPresent(String.self, forKey: .capability) ?? "*"
            agent = try c.decodeIfPresent(String.self, forKey: .agent) ?? "*"
            approvers = try c.decode([String].self, forKey: .approvers)
            priority = try c.decodeIfPresent(Int.self, forKey: .priority) ?? 0
            expiresAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .expiresAfterSeconds)
        }

        var specificity: Int { (capability == "*" ? 0 : 1) + (agent == "*" ? 0 : 1) }

        func matches(capability: String, agent: String) -> Bool {
            (self.capability == "*" || self.capability == capability) && (self.agent == "*" || self.agent == agent)
        }
    }

    public struct ApproverGroup: Sendable, Codable, Equatable {
        public var tokens: [SecretReference]
        public init(tokens: [SecretReference]) { self.tokens = tokens }
    }

    /// The route for a call: highest priority, then most specific, then first listed.
    public func route(capability: String, agent: String) -> Route? {
        routes.enumerated().filter { $0.element.matches(capability: capability, agent: agent) }
            .max { a, b in
                (a.element.priority, a.element.specificity, -a.offset) < (b.element.priority, b.element.specificity, -b.offset)
            }?.element
    }
}
