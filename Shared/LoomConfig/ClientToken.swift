import Foundation

/// A caller of the ingress's HTTP API, from `clients.yaml`: a name (recorded as the actor of
/// what it does), a role (what it may call) and where its bearer token is (`env:NAME` or
/// `file:/path`; never the token itself).
public struct ClientToken: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// Everything: drafts, cancel, session close, approvals, any execution's events.
        case `operator`
        /// Approvals: list and decide (which ones, the trust service's approver groups say).
        case approver
        /// An API client: sends messages and reads its own executions.
        case client
    }

    public var name: String
    public var role: Role
    public var token: SecretReference

    public init(name: String, role: Role, token: SecretReference) {
        self.name = name
        self.role = role
        self.token = token
    }

    /// Names are recorded with decisions and scope idempotency keys, so they stay short and plain.
    static let namePattern = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"

    /// Problems with the entries of `clients.yaml`: bad or repeated names, tokens written into
    /// the file, and one token reference given to two entries.
    static func validate(_ clients: [ClientToken], file: YAMLFile) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        var names: Set<String> = []
        var references: Set<String> = []
        for (index, client) in clients.enumerated() {
            let key = ["clients", "\(index)"]
            if client.name.range(of: namePattern, options: .regularExpression) == nil {
                issues.append(file.issue(key: key + ["name"], "use up to 64 letters, digits, '.', '_', '@' and '-'"))
            } else if !names.insert(client.name).inserted {
                issues.append(file.issue(key: key + ["name"], "'\(client.name)' is already a client"))
            }
            if !client.token.isIndirect {
                issues.append(file.issue(
                    key: key + ["token"], "name the token (env:NAME or file:/path) instead of writing it here"))
            } else if !references.insert(client.token.reference).inserted {
                issues.append(file.issue(
                    key: key + ["token"], "\(client.token.reference) is already another client's token"))
            }
        }
        return issues
    }
}

/// The shape of `clients.yaml`.
struct ClientsFile: Decodable {
    var clients: [ClientToken]
}
