/// Who may do what through an agent: principals (a channel identity) mapped to roles, and
/// roles granting agents, capabilities and record access per object type and field.
///
/// With no roles configured nothing is enforced (a fresh install behaves as before); once any
/// role exists, a principal can do only what its roles grant, and `defaultRoles` apply to
/// identities no principal entry matches.
public struct AccessPolicy: Sendable, Codable, Equatable {
    public var principals: [PrincipalRule]
    public var defaultRoles: [String]
    public var roles: [String: Role]

    public init(principals: [PrincipalRule] = [], defaultRoles: [String] = [], roles: [String: Role] = [:]) {
        self.principals = principals
        self.defaultRoles = defaultRoles
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey { case principals, defaultRoles, roles }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        principals = try c.decodeIfPresent([PrincipalRule].self, forKey: .principals) ?? []
        defaultRoles = try c.decodeIfPresent([String].self, forKey: .defaultRoles) ?? []
        roles = try c.decodeIfPresent([String: Role].self, forKey: .roles) ?? [:]
    }

    public var isEnforced: Bool { !roles.isEmpty }

    /// A channel identity (`sender` may use `*` as a wildcard) and the roles it gets.
    public struct PrincipalRule: Sendable, Codable, Equatable {
        public var channel: String?
        public var endpoint: String?
        public var sender: String
        public var roles: [String]

        public init(channel: String? = nil, endpoint: String? = nil, sender: String, roles: [String]) {
            self.channel = channel
            self.endpoint = endpoint
            self.sender = sender
            self.roles = roles
        }

        func matches(channel: String, endpoint: String, sender: String) -> Bool {
            (self.channel.map { $0 == channel } ?? true) && (self.endpoint.map { $0 == endpoint } ?? true)
                && Glob.matches(self.sender.lowercased(), sender.lowercased())
        }
    }

    /// What a role grants; `*` stands for everything in a list or map.
    public struct Role: Sendable, Codable, Equatable {
        public var agents: [String]
        public var capabilities: [String]
        public var records: [String: RecordAccess]

        public init(agents: [String] = [], capabilities: [String] = [], records: [String: RecordAccess] = [:]) {
            self.agents = agents
            self.capabilities = capabilities
            self.records = records
        }

        enum CodingKeys: String, CodingKey { case agents, capabilities, records }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            agents = try c.decodeIfPresent([String].self, forKey: .agents) ?? []
            capabilities = try c.decodeIfPresent([String].self, forKey: .capabilities) ?? []
            records = try c.decodeIfPresent([String: RecordAccess].self, forKey: .records) ?? [:]
        }
    }

    /// Fields of one object type a role may read, create and update.
    public struct RecordAccess: Sendable, Codable, Equatable {
        public var read: [String]
        public var create: [String]
        public var update: [String]

        public init(read: [String] = [], create: [String] = [], update: [String] = []) {
            self.read = read
            self.create = create
            self.update = update
        }

        enum CodingKeys: String, CodingKey { case read, create, update }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            read = try c.decodeIfPresent([String].self, forKey: .read) ?? []
            create = try c.decodeIfPresent([String].self, forKey: .create) ?? []
            update = try c.decodeIfPresent([String].self, forKey: .update) ?? []
        }
    }

    /// The roles of one identity: every matching principal rule's, or the default roles.
    public func roles(channel: String, endpoint: String, sender: String) -> [String] {
        let matched = principals.filter { $0.matches(channel: channel, endpoint: endpoint, sender: sender) }.flatMap(\.roles)
        return Array(Set(matched.isEmpty ? defaultRoles : matched)).sorted()
    }
}

/// `*` matches any run of characters; everything else matches itself.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]), let last = parts.last, text.hasSuffix(last), text.count >= parts[0].count + last.count else { return false }
        var rest = Substring(text.dropFirst(parts[0].count).dropLast(last.count))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }
}
