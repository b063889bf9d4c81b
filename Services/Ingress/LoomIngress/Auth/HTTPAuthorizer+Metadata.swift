import Foundation
import LoomConfig
import Logging

extension HTTPAuthorizer {
    /// The variable through which `loom up` hands the ingress the operator token it created.
    static let operatorTokenVariable = "LOOM_OPERATOR_TOKEN"

    /// The principals the metadata names: `clients.yaml` entries, then every approver group's
    /// tokens from `trust.yaml` (as approvers named by the group), then `LOOM_OPERATOR_TOKEN`
    /// as the operator `operator`. Also returns the entries whose token could not be read.
    static func configured(
        _ metadata: LoomMetadata, environment: [String: String]
    ) -> (HTTPAuthorizer, unresolved: [String]) {
        var tokens: [(principal: HTTPPrincipal, token: String)] = []
        var unresolved: [String] = []
        for client in metadata.clients {
            guard let token = client.token.resolve(environment: environment) else {
                unresolved.append("\(client.name) (\(client.token))")
                continue
            }
            tokens.append((HTTPPrincipal(name: client.name, role: client.role, origin: .client), token))
        }
        for (group, approvers) in metadata.trust.approvals.approvers.sorted(by: { $0.key < $1.key }) {
            for token in approvers.tokens.compactMap({ $0.resolve(environment: environment) }) {
                tokens.append((HTTPPrincipal(name: group, role: .approver, origin: .approverGroup), token))
            }
        }
        if let token = environment[operatorTokenVariable], !token.isEmpty {
            tokens.append((HTTPPrincipal(name: "operator", role: .operator, origin: .client), token))
        }
        let needToken = metadata.clients.contains { $0.role == .client }
        let authorizer = HTTPAuthorizer(tokens: tokens, messagesNeedToken: needToken)
        return (authorizer, unresolved)
    }
}

extension HTTPAuthorizer {
    /// As ``configured(_:environment:)``, warning about tokens that could not be read and
    /// about admin endpoints no one can use yet.
    static func configured(_ metadata: LoomMetadata, environment: [String: String], logger: Logger) -> HTTPAuthorizer {
        let (authorizer, unresolved) = configured(metadata, environment: environment)
        for name in unresolved {
            logger.warning("the HTTP token of client \(name) is not set; that client cannot sign in")
        }
        if !authorizer.hasOperator {
            logger.notice("no operator token is configured: the admin endpoints answer 401 (see clients.yaml)")
        }
        return authorizer
    }
}
