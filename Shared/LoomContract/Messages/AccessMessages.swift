/// What one channel identity may do, resolved by the trust service from its access policy.
public struct PrincipalGrantsQuery: MessagePayload, Equatable {
    public static let kind = MessageKind.principalGrantsQuery
    public var channel: String
    public var endpoint: String
    public var sender: String

    public init(channel: String, endpoint: String, sender: String) {
        self.channel = channel
        self.endpoint = endpoint
        self.sender = sender
    }
}

public struct PrincipalGrants: MessagePayload, Equatable {
    public static let kind = MessageKind.principalGrants

    public struct RecordAccess: Sendable, Codable, Equatable {
        public var read: [String]
        public var create: [String]
        public var update: [String]

        public init(read: [String], create: [String], update: [String]) {
            self.read = read
            self.create = create
            self.update = update
        }
    }

    /// `channel:sender`.
    public var principal: String
    public var roles: [String]
    /// False when no roles are configured: everything is allowed.
    public var enforced: Bool
    public var agents: [String]
    public var capabilities: [String]
    /// Object type (or `*`) → fields (or `*`).
    public var records: [String: RecordAccess]

    public init(principal: String, roles: [String], enforced: Bool, agents: [String], capabilities: [String], records: [String: RecordAccess]) {
        self.principal = principal
        self.roles = roles
        self.enforced = enforced
        self.agents = agents
        self.capabilities = capabilities
        self.records = records
    }

    public func allows(agent: String) -> Bool { !enforced || agents.contains("*") || agents.contains(agent) }
    public func allows(capability: String) -> Bool { !enforced || capabilities.contains("*") || capabilities.contains(capability) }

    /// The fields of `objectType` this principal may read, create and update; nil for none at all.
    public func access(to objectType: String) -> RecordAccess? {
        guard enforced else { return RecordAccess(read: ["*"], create: ["*"], update: ["*"]) }
        let grants = [records[objectType], records["*"]].compactMap { $0 }
        guard !grants.isEmpty else { return nil }
        return RecordAccess(
            read: grants.flatMap(\.read), create: grants.flatMap(\.create), update: grants.flatMap(\.update))
    }
}

extension [String] {
    /// Whether a grant list (where `*` is everything) covers `field`.
    public func grants(_ field: String) -> Bool { contains("*") || contains(field) }
}
