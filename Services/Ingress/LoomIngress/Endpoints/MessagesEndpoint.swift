import Foundation
import HTTPTypes
import Hummingbird
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// The API and chat ingress: `POST /v1/messages` (normalized: the caller gives text, sender and
/// an optional session key) and `POST /v1/agents/{agent}/executions` (the caller names the agent).
///
/// The caller gets 2xx only once the router has committed the message. The reply comes back
/// over the bus; if it takes longer than the agent's reply timeout, or the caller sent
/// `Prefer: respond-async`, the answer is 202 with the execution id, whose events the caller
/// can stream from `GET /v1/executions/{id}/events`.
struct MessagesEndpoint: Sendable {
    let link: RouterLink
    let metadata: LoomMetadata
    let auth: HTTPAuthorizer
    let maxBodyBytes: Int
    let logger: Logger

    struct Body: Decodable {
        var agent: String?
        var text: String?
        var input: String?
        var sessionKey: String?
        var sender: String?
        var endpoint: String?
        /// Stream the model's text into the execution's events as it is written; the default
        /// for `Prefer: respond-async` callers, who read those events.
        var stream: Bool?
    }

    struct Reply: Encodable {
        var messageId: String
        var sessionId: String?
        var executionId: String?
        var status: String
        var reply: String?
        var deliveryStatus: String?
        var error: ExecutionError?
    }

    func handle(_ request: Request, agentInPath: String? = nil) async -> Response {
        do {
            return try await accept(request, agentInPath: agentInPath)
        } catch {
            return error.response
        }
    }

    private func accept(_ request: Request, agentInPath: String?) async throws(Problem) -> Response {
        try HTTPInput.requireContentType(request, "application/json")
        let data = try await HTTPInput.body(of: request, limit: maxBodyBytes)
        let body = try HTTPInput.decodeJSON(Body.self, from: data)
        guard let text = body.text ?? body.input, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem(status: 422, title: "Unprocessable Content", detail: "'text' is required and must not be empty", code: "missing_text")
        }
        let agent = agentInPath ?? body.agent
        if let agent, metadata.agents[agent] == nil {
            throw Problem(status: 404, title: "Not Found", detail: "no agent named '\(agent)'", code: "unknown_agent")
        }
        for (name, value) in [("sessionKey", body.sessionKey), ("sender", body.sender), ("agent", agent)] where (value?.count ?? 0) > 256 {
            throw Problem(status: 422, title: "Unprocessable Content", detail: "'\(name)' is longer than 256 characters", code: "field_too_long")
        }
        let endpointName = body.endpoint ?? "api"
        guard let endpoint = metadata.endpoints[endpointName] else {
            throw Problem(status: 404, title: "Not Found", detail: "no endpoint named '\(endpointName)'", code: "unknown_endpoint")
        }
        guard endpoint.channel == .api || endpoint.channel == .chat else {
            throw Problem(
                status: 422, title: "Unprocessable Content", detail: "endpoint '\(endpointName)' takes \(endpoint.channel.rawValue) traffic",
                code: "channel_mismatch")
        }
        let principal = try auth.messagePrincipal(request, endpoint: endpoint)

        let idempotencyKey = try IdempotencyScope.scoped(request.headers[.idempotencyKey], principal: principal)
        // Same caller and idempotency key, same message id: the router's dedup turns a retry into a no-op.
        let messageId = idempotencyKey.map { RouterLink.messageId(channel: endpoint.channel, endpoint: endpointName, externalId: $0, content: data) }
            ?? MessageID.random("in")
        let respondAsync = request.headers[.prefer]?.lowercased().contains("respond-async") == true
        let inbound = InboundMessage(
            channel: endpoint.channel, endpoint: endpointName, agent: agent, sender: body.sender ?? "api", text: text,
            sessionKey: body.sessionKey, externalMessageId: idempotencyKey, replyTo: link.node.instance, streamReply: body.stream ?? respondAsync,
            principal: principal)
        let timeout = agent.flatMap { metadata.agents[$0]?.replyTimeoutSeconds } ?? 30
        let accepted = try await link.submit(
            inbound, messageId: messageId, traceparent: request.headers[.traceparent], deadlineSeconds: timeout, holdingReply: !respondAsync)
        if respondAsync {
            return jsonResponse(
                Reply(messageId: messageId, sessionId: accepted.sessionId, executionId: accepted.executionId, status: "pending"), status: .accepted)
        }
        switch await link.awaitReply(accepted, timeout: timeout) {
        case .repeated(let text, let status, let delivery):
            return jsonResponse(
                Reply(
                    messageId: messageId, sessionId: accepted.sessionId, executionId: accepted.executionId, status: status,
                    reply: text.isEmpty ? nil : text, deliveryStatus: delivery))
        case .pending:
            return jsonResponse(
                Reply(messageId: messageId, sessionId: accepted.sessionId, executionId: accepted.executionId, status: "pending"), status: .accepted)
        case .arrived(let outbound):
            let held = outbound.deliveryStatus.map { $0 != .queued && $0 != .sent } ?? false
            return jsonResponse(
                Reply(
                    messageId: messageId, sessionId: outbound.sessionId, executionId: outbound.executionId, status: outbound.status.rawValue,
                    reply: held ? nil : outbound.text, deliveryStatus: (outbound.deliveryStatus ?? .sent).rawValue, error: outbound.error))
        }
    }
}

/// Bearer keys on API, chat and OpenAI-compatible endpoints: enforced when configured.
enum APIKeys {
    /// Checks the bearer key when the endpoint has keys, and returns the identity of the key
    /// used (`key:env:NAME`, `key:file:/path`, or `key:N` for the N-th literal key): the
    /// principal for permissions, which a caller cannot choose the way it chooses `sender`.
    @discardableResult
    static func check(_ request: Request, endpoint: ChannelEndpoint) throws(Problem) -> String? {
        guard !endpoint.apiKeys.isEmpty else { return nil }
        for (index, reference) in endpoint.apiKeys.enumerated() {
            guard let key = reference.resolve(), WebhookSignature.bearer(request.headers[.authorization], accepted: [key]) else { continue }
            return "key:" + (reference.isIndirect ? reference.reference : "\(index)")
        }
        throw Problem(status: 401, title: "Unauthorized", detail: "a valid bearer key is required", code: "unauthorized")
    }
}
