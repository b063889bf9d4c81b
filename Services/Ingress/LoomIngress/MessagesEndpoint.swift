import Foundation
import HTTPTypes
import Hummingbird
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// `POST /v1/messages`: the normalized API ingress.
///
/// The caller gets 2xx only once the router has committed the message. The reply comes back
/// over the bus; if it takes longer than the agent's reply timeout the caller gets 202 with
/// the execution id instead.
struct MessagesEndpoint: Sendable {
    let node: BusNode
    let waiters: ReplyWaiters
    let metadata: LoomMetadata
    let maxBodyBytes: Int
    let logger: Logger

    struct Body: Decodable {
        var agent: String?
        var text: String?
        var sessionKey: String?
        var sender: String?
        var endpoint: String?
    }

    struct Reply: Encodable {
        var messageId: String
        var sessionId: String?
        var executionId: String?
        var status: String
        var reply: String?
        var error: ExecutionError?
    }

    func handle(_ request: Request) async -> Response {
        do {
            return try await accept(request)
        } catch let problem as Problem {
            return problem.response
        } catch {
            logger.error("unexpected failure handling a message", metadata: ["error": "\(error)"])
            return Problem(status: 500, title: "Internal Server Error", detail: "the message could not be handled", code: "internal").response
        }
    }

    private func accept(_ request: Request) async throws -> Response {
        let body = try await decodeBody(request)
        guard let text = body.text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem(status: 422, title: "Unprocessable Content", detail: "'text' is required and must not be empty", code: "missing_text")
        }
        if let agent = body.agent, metadata.agents[agent] == nil {
            throw Problem(status: 404, title: "Not Found", detail: "no agent named '\(agent)'", code: "unknown_agent")
        }
        for (name, value) in [("sessionKey", body.sessionKey), ("sender", body.sender), ("agent", body.agent)] where (value?.count ?? 0) > 256 {
            throw Problem(status: 422, title: "Unprocessable Content", detail: "'\(name)' is longer than 256 characters", code: "field_too_long")
        }
        let endpoint = body.endpoint ?? "api"
        // Same idempotency key, same message id: the router's dedup turns a retry into a no-op.
        let messageId = request.headers[.idempotencyKey].map { MessageID.derived("in", from: "api|\(endpoint)|\($0)") }
            ?? MessageID.random("in")
        let inbound = InboundMessage(
            channel: .api, endpoint: endpoint, agent: body.agent, sender: body.sender ?? "api", text: text, sessionKey: body.sessionKey,
            externalMessageId: request.headers[.idempotencyKey], replyTo: node.instance)
        let agentTimeout = body.agent.flatMap { metadata.agents[$0]?.replyTimeoutSeconds } ?? 30
        let envelope = Envelope(
            id: messageId, traceparent: request.headers[.traceparent].flatMap(TraceParent.init(parsing:))?.child().description
                ?? TraceParent.random().description,
            deadline: Date().addingTimeInterval(agentTimeout), body: inbound)

        waiters.expect(messageId)
        let ack: HopAck
        do {
            ack = try await node.deliverAwaitingAck(envelope, to: .peer("router"), timeout: .seconds(2), attempts: 3)
        } catch {
            waiters.cancel(messageId)
            logger.warning("router did not take a message", metadata: ["message": "\(messageId)", "error": "\(error)"])
            throw Problem(status: 503, title: "Service Unavailable", detail: "the router did not accept the message; retry with the same Idempotency-Key", code: "router_unavailable", retryAfter: 1)
        }
        switch ack.outcome {
        case .stored, .duplicate:
            break
        case .rejected:
            waiters.cancel(messageId)
            throw Self.problem(forRejection: ack)
        case .retryLater:
            waiters.cancel(messageId)
            throw Problem(status: 503, title: "Service Unavailable", detail: ack.detail ?? "try again", code: ack.code ?? "retry_later", retryAfter: 1)
        }
        let sessionId = ack.info["sessionId"]
        let executionId = ack.info["executionId"]
        if ack.outcome == .duplicate, let reply = ack.info["reply"], let status = ack.info["replyStatus"] {
            // A retry of a message that was already answered: the same answer, no new work.
            waiters.cancel(messageId)
            return jsonResponse(Reply(messageId: messageId, sessionId: sessionId, executionId: executionId, status: status, reply: reply))
        }
        guard let outbound = await waiters.wait(for: messageId, timeout: .seconds(agentTimeout)) else {
            return jsonResponse(Reply(messageId: messageId, sessionId: sessionId, executionId: executionId, status: "pending"), status: .accepted)
        }
        return jsonResponse(
            Reply(
                messageId: messageId, sessionId: outbound.sessionId, executionId: outbound.executionId, status: outbound.status.rawValue,
                reply: outbound.text, error: outbound.error))
    }

    private func decodeBody(_ request: Request) async throws -> Body {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(status: 415, title: "Unsupported Media Type", detail: "send application/json", code: "unsupported_media_type")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodyBytes)
        } catch {
            throw Problem(status: 413, title: "Content Too Large", detail: "the body exceeds \(maxBodyBytes) bytes", code: "body_too_large")
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem(status: 422, title: "Unprocessable Content", detail: "'\(field)' has the wrong type", code: "invalid_field")
        } catch {
            throw Problem.badRequest("malformed_json", "the body is not a JSON object")
        }
    }

    static func problem(forRejection ack: HopAck) -> Problem {
        let detail = ack.detail ?? "rejected"
        switch ack.code {
        case "unknown_agent", "unknown_endpoint", "no_route":
            return Problem(status: 404, title: "Not Found", detail: detail, code: ack.code ?? "not_found")
        case "agent_inactive":
            return Problem(status: 409, title: "Conflict", detail: detail, code: "agent_inactive")
        default:
            return Problem(status: 422, title: "Unprocessable Content", detail: detail, code: ack.code ?? "rejected")
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let traceparent = HTTPField.Name("traceparent")!
}
