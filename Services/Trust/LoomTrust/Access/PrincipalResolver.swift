import LoomConfig
import LoomContract

/// Turns a channel identity into its grants: the roles its principal rules give it (or the
/// default roles), and the union of what those roles allow.
struct PrincipalResolver: Sendable {
    let policy: AccessPolicy

    func grants(_ query: PrincipalGrantsQuery) -> PrincipalGrants {
        let principal = "\(query.channel):\(query.sender)"
        guard policy.isEnforced else {
            return PrincipalGrants(principal: principal, roles: [], enforced: false, agents: ["*"], capabilities: ["*"], records: [:])
        }
        let roleNames = policy.roles(channel: query.channel, endpoint: query.endpoint, sender: query.sender)
        let roles = roleNames.compactMap { policy.roles[$0] }
        var records: [String: PrincipalGrants.RecordAccess] = [:]
        for (objectType, access) in roles.flatMap(\.records) {
            let current = records[objectType] ?? PrincipalGrants.RecordAccess(read: [], create: [], update: [])
            records[objectType] = PrincipalGrants.RecordAccess(
                read: Self.union(current.read, access.read), create: Self.union(current.create, access.create),
                update: Self.union(current.update, access.update))
        }
        return PrincipalGrants(
            principal: principal, roles: roleNames, enforced: true, agents: Self.union([], roles.flatMap(\.agents)),
            capabilities: Self.union([], roles.flatMap(\.capabilities)), records: records)
    }

    static func union(_ a: [String], _ b: [String]) -> [String] { Array(Set(a + b)).sorted() }
}
