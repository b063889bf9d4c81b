/// What a bus participant is, as its key's roster entry says. Every service instance has the
/// role of its service; the CLI acting for a person has the operator role.
public enum BusRole: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case ingress, router, orchestrator, trust, gateway, tools, `operator`

    /// The six service roles, without the operator.
    public static let services: [BusRole] = [.ingress, .router, .orchestrator, .trust, .gateway, .tools]

    public var description: String { rawValue }
}

/// Who sent a frame: the role and instance of the roster entry its CURVE key belongs to.
/// Never taken from anything the peer says about itself.
public struct BusIdentity: Sendable, Hashable, CustomStringConvertible {
    public var role: BusRole
    public var instance: String

    public init(role: BusRole, instance: String) {
        self.role = role
        self.instance = instance
    }

    /// The ZAP user id libzmq attaches to every frame of an authenticated connection.
    public var userId: String { "\(role.rawValue)/\(instance)" }

    public init?(userId: String) {
        guard let slash = userId.firstIndex(of: "/"),
            let role = BusRole(rawValue: String(userId[..<slash]))
        else { return nil }
        let instance = String(userId[userId.index(after: slash)...])
        guard !instance.isEmpty else { return nil }
        self.init(role: role, instance: instance)
    }

    public var description: String { userId }

    /// Whether a peer with this identity may use `routingId` on a listener. A service instance
    /// uses its instance name; an operator's CLI adds a per-run suffix (`operator.3f9a`), so
    /// several commands can run at once under one key.
    public func owns(routingId: String) -> Bool {
        if routingId == instance { return true }
        return role == .operator && routingId.hasPrefix(instance + ".")
    }
}
