import Foundation
import Hummingbird
import LoomBus
import LoomContract

/// Operator calls forwarded to the router (close a session; list held replies and send,
/// approve or reject one) and to the orchestrator (cancel an execution). Each needs an
/// operator's bearer token; the token's name is recorded as who acted.
struct AdminEndpoints: Sendable {
    let node: BusNode
    let auth: HTTPAuthorizer

    func closeSession(_ request: Request, sessionId: String) async -> Response {
        await authorized(request, .closeSession) { _ in
            await forward(SessionCloseRequest(sessionId: sessionId), expecting: SessionCloseResult.self)
        }
    }

    func listDrafts(_ request: Request) async -> Response {
        await authorized(request, .listDrafts) { _ in await forward(DraftListQuery(), expecting: DraftListResult.self) }
    }

    func decide(_ request: Request, messageId: String, action: String) async -> Response {
        await authorized(request, .decideDraft) { principal in
            guard let action = DraftDecision.Action(rawValue: action) else {
                return Problem(
                    status: 404, title: "Not Found", detail: "unknown action '\(action)'", code: "unknown_action"
                ).response
            }
            return await forward(
                DraftDecision(messageId: messageId, action: action, actor: principal.name),
                expecting: DraftDecisionResult.self)
        }
    }

    func cancelExecution(_ request: Request, executionId: String) async -> Response {
        await authorized(request, .cancelExecution) { principal in
            await forward(
                ExecutionCancelRequest(executionId: executionId, actor: principal.name),
                expecting: ExecutionCancelResult.self, to: "orchestrator")
        }
    }

    private func authorized(
        _ request: Request, _ action: HTTPAction, _ body: (HTTPPrincipal) async -> Response
    ) async -> Response {
        do {
            return await body(try auth.principal(request, action))
        } catch {
            return error.response
        }
    }

    private func forward<Reply: MessagePayload & Encodable>(
        _ payload: any MessagePayload, expecting: Reply.Type, to service: String = "router"
    ) async -> Response {
        do {
            return jsonResponse(try await node.call(payload, to: .peer(service), expecting: Reply.self))
        } catch let failure as Failure {
            let status =
                switch failure.code {
                case "not_found": 404
                case "not_held", "review_required", "not_under_review": 409
                default: failure.retryable ? 503 : 422
                }
            return Problem(status: status, title: "Request Refused", detail: failure.message, code: failure.code).response
        } catch {
            return Problem(status: 503, title: "Service Unavailable", detail: "the \(service) did not answer", code: "\(service)_unavailable", retryAfter: 1)
                .response
        }
    }
}
