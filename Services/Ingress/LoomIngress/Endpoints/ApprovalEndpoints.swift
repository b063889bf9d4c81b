import Foundation
import HTTPTypes
import Hummingbird
import LoomBus
import LoomContract

/// Approvers' API, forwarded to the trust service: `GET /v1/approvals?status=pending` lists
/// what the caller may decide; `POST /v1/approvals/{id}/approve|reject` (optional JSON
/// `{"reason"}`) decides one. Every call needs `Authorization: Bearer <token>` of an approver
/// or operator; which approvals it may see and decide, the trust service's approver groups say.
/// The token's name (its group, for a group's token) is recorded as who decided.
struct ApprovalEndpoints: Sendable {
    let node: BusNode
    let auth: HTTPAuthorizer
    let maxBodyBytes: Int

    struct Decision: Decodable {
        var reason: String?
    }

    func list(_ request: Request) async -> Response {
        do {
            _ = try auth.principal(request, .listApprovals)
        } catch {
            return error.response
        }
        guard let token = Self.token(request) else {
            return HTTPAuthorizer.unauthorized("a bearer token is required").response
        }
        let status = request.uri.queryParameters.get("status").flatMap { $0 == "all" ? nil : ApprovalRecord.Status(rawValue: $0) }
        let all = request.uri.queryParameters.get("status") == "all"
        return await forward(ApprovalListQuery(status: all ? nil : status ?? .pending, token: token), expecting: ApprovalListResult.self)
    }

    func decide(_ request: Request, id: String, action: String) async -> Response {
        guard action == "approve" || action == "reject" else {
            return Problem(status: 404, title: "Not Found", detail: "unknown action '\(action)'", code: "unknown_action").response
        }
        let principal: HTTPPrincipal
        var decision = Decision()
        do {
            principal = try auth.principal(request, .decideApproval)
            let data = try await HTTPInput.body(of: request, limit: maxBodyBytes)
            if !data.isEmpty { decision = try HTTPInput.decodeJSON(Decision.self, from: data) }
        } catch {
            return error.response
        }
        guard let token = Self.token(request) else {
            return HTTPAuthorizer.unauthorized("a bearer token is required").response
        }
        return await forward(
            ApprovalDecisionRequest(
                id: id, approve: action == "approve", token: token, actor: principal.actor,
                reason: decision.reason.map { String($0.prefix(2000)) }),
            expecting: ApprovalResult.self)
    }

    static func token(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    private func forward<Reply: MessagePayload & Encodable>(_ payload: any MessagePayload, expecting: Reply.Type) async -> Response {
        do {
            return jsonResponse(try await node.call(payload, to: .peer("trust"), expecting: Reply.self))
        } catch let failure as Failure {
            let status =
                switch failure.code {
                case "approver_token_invalid": 403
                case "unknown_approval": 404
                case "approval_closed": 409
                default: failure.retryable ? 503 : 422
                }
            return Problem(status: status, title: "Request Refused", detail: failure.message, code: failure.code).response
        } catch {
            return Problem(status: 503, title: "Service Unavailable", detail: "the trust service did not answer", code: "trust_unavailable", retryAfter: 1)
                .response
        }
    }
}
