import Foundation
import LoomConfig

/// The ingress's access decision: bearer token → principal → role → whether the action is
/// allowed. Pure: tokens are resolved once, when it is made, and kept only as digests.
///
/// Admin actions always need a token. Sending messages (and reading executions that no
/// principal started) is open to callers without one until the first `client` token is
/// configured. Until then an unknown token on the open API counts as none, because stock
/// clients (OpenAI's SDKs) always send one; anywhere else an unknown token is refused.
struct HTTPAuthorizer: Sendable {
    /// How a request identified itself.
    enum Identity: Sendable, Equatable {
        case anonymous
        case principal(HTTPPrincipal)
        /// A token (or another scheme) that matches no principal.
        case unknown
    }

    enum Decision: Sendable, Equatable {
        /// Allowed; nil for an anonymous caller of the open message API.
        case allowed(HTTPPrincipal?)
        case unauthorized(String)
        case forbidden(String)
    }

    private let entries: [(principal: HTTPPrincipal, digest: TokenDigest)]
    /// Once a client token exists, messages need one too.
    let messagesNeedToken: Bool
    let hasOperator: Bool

    init(tokens: [(principal: HTTPPrincipal, token: String)], messagesNeedToken: Bool) {
        entries = tokens.map { ($0.principal, TokenDigest(of: $0.token)) }
        self.messagesNeedToken = messagesNeedToken
        hasOperator = tokens.contains { $0.principal.role == .operator }
    }

    func identify(_ authorization: String?) -> Identity {
        guard let authorization, !authorization.trimmingCharacters(in: .whitespaces).isEmpty else { return .anonymous }
        guard authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return .unknown }
        let token = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { return .unknown }
        let presented = TokenDigest(of: token)
        // Every entry is compared, so the time taken does not tell which one matched.
        var found: HTTPPrincipal?
        for entry in entries where entry.digest.matches(presented) && found == nil { found = entry.principal }
        return found.map(Identity.principal) ?? .unknown
    }

    func decide(_ action: HTTPAction, authorization: String?) -> Decision {
        decide(action, for: identify(authorization))
    }

    func decide(_ action: HTTPAction, for identity: Identity) -> Decision {
        switch identity {
        case .unknown:
            if action.isOpenWithoutClients && !messagesNeedToken { return .allowed(nil) }
            return .unauthorized("the bearer token is not one this ingress knows")
        case .anonymous:
            if action.isOpenWithoutClients && !messagesNeedToken { return .allowed(nil) }
            if !action.isOpenWithoutClients && !hasOperator {
                return .unauthorized(
                    "a bearer token is required to \(action.summary), and no operator token is configured: add "
                        + "{name, role: operator, token: env:NAME} to clients.yaml, or start the suite with `loom up`, "
                        + "which creates one in its data directory")
            }
            return .unauthorized("a bearer token is required to \(action.summary) (Authorization: Bearer <token>)")
        case .principal(let principal):
            guard Self.permits(principal, action) else {
                return .forbidden("'\(principal.name)' (role \(principal.role.rawValue)) may not \(action.summary)")
            }
            return .allowed(principal)
        }
    }

    /// Operators may do everything, approvers decide approvals, clients send messages and read
    /// what they started.
    static func permits(_ principal: HTTPPrincipal, _ action: HTTPAction) -> Bool {
        switch (principal.role, action) {
        case (.operator, _): true
        case (.approver, .listApprovals), (.approver, .decideApproval): true
        case (.client, .sendMessage): true
        case (.client, .readExecution(let owner)): owner == principal.id
        default: false
        }
    }
}
