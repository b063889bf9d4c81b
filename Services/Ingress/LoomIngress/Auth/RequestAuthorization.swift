import Foundation
import HTTPTypes
import Hummingbird
import LoomConfig

extension HTTPAuthorizer {
    /// The principal `request` acts for when it may do `action` (nil: an anonymous caller of
    /// the open message API); otherwise the 401 or 403 problem to answer with.
    func authorize(_ request: Request, _ action: HTTPAction) throws(Problem) -> HTTPPrincipal? {
        try Self.outcome(decide(action, authorization: request.headers[.authorization]))
    }

    /// As ``authorize(_:_:)`` for actions that always need a principal.
    func principal(_ request: Request, _ action: HTTPAction) throws(Problem) -> HTTPPrincipal {
        guard let principal = try authorize(request, action) else {
            throw Self.unauthorized("a bearer token is required to \(action.summary)")
        }
        return principal
    }

    static func outcome(_ decision: Decision) throws(Problem) -> HTTPPrincipal? {
        switch decision {
        case .allowed(let principal): return principal
        case .unauthorized(let detail): throw unauthorized(detail)
        case .forbidden(let detail): throw Problem(status: 403, title: "Forbidden", detail: detail, code: "forbidden")
        }
    }

    static func unauthorized(_ detail: String) -> Problem {
        Problem(status: 401, title: "Unauthorized", detail: detail, code: "unauthorized", challenge: "Bearer")
    }
}

extension HTTPAuthorizer {
    /// The principal a message is sent under: the endpoint's own API key when it has keys,
    /// otherwise the caller's token (nil for an anonymous caller of the open API).
    func messagePrincipal(_ request: Request, endpoint: ChannelEndpoint) throws(Problem) -> String? {
        if !endpoint.apiKeys.isEmpty { return try APIKeys.check(request, endpoint: endpoint) }
        return try authorize(request, .sendMessage)?.id
    }
}
