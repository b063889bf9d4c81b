import Foundation
import HTTPTypes
import Hummingbird
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// `POST /v1/chat/completions`, the OpenAI-compatible surface: `model` names the agent, the
/// last user message is the turn, and `user` (or `X-Session-Key`) keeps a conversation in one
/// session. Answers in OpenAI's shapes, including `stream: true` as `chat.completion.chunk`
/// events ending with `[DONE]`, and errors as `{"error": {...}}`, so OpenAI clients work
/// unchanged. The agent's own memory supplies history; earlier messages in the request are
/// not replayed into the session.
struct ChatCompletionsEndpoint: Sendable {
    let link: RouterLink
    let metadata: LoomMetadata
    let auth: HTTPAuthorizer
    let maxBodyBytes: Int
    let logger: Logger

    struct Body: Decodable {
        var model: String
        var messages: [Message]
        var stream: Bool?
        var user: String?
    }

    struct Message: Decodable {
        var role: String
        var content: Content?
    }

    /// A string, or an array of parts of which the text parts count.
    struct Content: Decodable {
        var text: String

        struct Part: Decodable {
            var type: String
            var text: String?
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                text = try container.decode([Part].self).compactMap { $0.type == "text" ? $0.text : nil }.joined(separator: "\n")
            }
        }
    }

    func handle(_ request: Request) async -> Response {
        do {
            return try await accept(request)
        } catch {
            return Self.openAIError(error)
        }
    }

    private func accept(_ request: Request) async throws(Problem) -> Response {
        try HTTPInput.requireContentType(request, "application/json")
        let endpointName = request.headers[.loomEndpoint] ?? metadata.endpoints(of: .openai).first
        guard let endpointName, let endpoint = metadata.endpoints[endpointName], endpoint.channel == .openai else {
            throw Problem(status: 404, title: "Not Found", detail: "no OpenAI-compatible endpoint is configured", code: "unknown_endpoint")
        }
        let principal = try auth.messagePrincipal(request, endpoint: endpoint)
        let data = try await HTTPInput.body(of: request, limit: maxBodyBytes)
        let body = try HTTPInput.decodeJSON(Body.self, from: data)
        guard let agent = metadata.agents[body.model] else {
            throw Problem(status: 404, title: "Not Found", detail: "the model '\(body.model)' does not exist", code: "model_not_found")
        }
        guard let text = body.messages.last(where: { $0.role == "user" })?.content?.text,
            !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw Problem(status: 400, title: "Bad Request", detail: "messages must contain a non-empty user message", code: "missing_user_message")
        }
        let sessionKey = request.headers[.sessionKey] ?? body.user
        let idempotencyKey = try IdempotencyScope.scoped(request.headers[.idempotencyKey], principal: principal)
        let messageId = idempotencyKey.map { RouterLink.messageId(channel: .openai, endpoint: endpointName, externalId: $0, content: data) }
            ?? MessageID.random("in")
        let inbound = InboundMessage(
            channel: .openai, endpoint: endpointName, agent: body.model, sender: body.user ?? "openai", text: text, sessionKey: sessionKey,
            externalMessageId: idempotencyKey, replyTo: link.node.instance, streamReply: body.stream == true,
            principal: principal)
        let accepted = try await link.submit(
            inbound, messageId: messageId, traceparent: request.headers[.traceparent], deadlineSeconds: agent.replyTimeoutSeconds,
            holdingReply: true)
        let completionId = "chatcmpl-" + (accepted.executionId ?? messageId)
        let created = Int(Date().timeIntervalSince1970)
        if body.stream == true {
            return stream(accepted, completionId: completionId, created: created, model: body.model, timeout: agent.replyTimeoutSeconds)
        }
        let (content, finish) = try await answer(accepted, timeout: agent.replyTimeoutSeconds)
        return jsonResponse(Completion(
            id: completionId, object: "chat.completion", created: created, model: body.model,
            choices: [.init(index: 0, message: .init(role: "assistant", content: content), delta: nil, finish_reason: finish)]))
    }

    /// The reply text and finish reason, or a problem when there is no reply to give.
    private func answer(_ accepted: RouterLink.Accepted, timeout: Double) async throws(Problem) -> (String, String) {
        switch await link.awaitReply(accepted, timeout: timeout) {
        case .arrived(let outbound):
            if let held = outbound.deliveryStatus, held != .queued, held != .sent {
                throw Problem(status: 409, title: "Conflict", detail: "the reply is held (\(held.rawValue))", code: "reply_held")
            }
            return (outbound.text, outbound.status == .completed ? "stop" : "error")
        case .repeated(let text, let status, _):
            return (text, status == "completed" ? "stop" : "error")
        case .pending:
            throw Problem(
                status: 504, title: "Gateway Timeout", detail: "the agent did not answer in time; execution \(accepted.executionId ?? "")",
                code: "timeout")
        }
    }

    private func stream(_ accepted: RouterLink.Accepted, completionId: String, created: Int, model: String, timeout: Double) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            func chunk(_ delta: Completion.Message, finish: String?) -> ByteBuffer {
                let value = Completion(
                    id: completionId, object: "chat.completion.chunk", created: created, model: model,
                    choices: [.init(index: 0, message: nil, delta: delta, finish_reason: finish)])
                return ByteBuffer(string: SSE.frame(id: nil, event: nil, data: value))
            }
            try await writer.write(chunk(.init(role: "assistant", content: ""), finish: nil))
            // Text as the model writes it, then the whole reply; whatever the pieces did not
            // cover (pieces lost, or none streamed) goes out before the end.
            enum Item {
                case piece(String)
                case reply(Result<(String, String), Problem>)
            }
            let (items, sink) = AsyncStream<Item>.makeStream()
            let pieces = Task {
                guard let executionId = accepted.executionId else { return }
                for await piece in ExecutionEvents.streamedText(self.link.node, executionId) { sink.yield(.piece(piece)) }
            }
            let reply = Task {
                do throws(Problem) {
                    sink.yield(.reply(.success(try await self.answer(accepted, timeout: timeout))))
                } catch {
                    sink.yield(.reply(.failure(error)))
                }
                sink.finish()
            }
            defer {
                pieces.cancel()
                reply.cancel()
            }
            var streamed = ""
            for await item in items {
                switch item {
                case .piece(let text):
                    streamed += text
                    try await writer.write(chunk(.init(role: nil, content: text), finish: nil))
                case .reply(.success(let (content, finish))):
                    let rest = content.hasPrefix(streamed) ? String(content.dropFirst(streamed.count)) : (streamed.isEmpty ? content : "")
                    if !rest.isEmpty { try await writer.write(chunk(.init(role: nil, content: rest), finish: nil)) }
                    try await writer.write(chunk(.init(role: nil, content: nil), finish: finish))
                case .reply(.failure(let problem)):
                    try await writer.write(ByteBuffer(string: SSE.frame(id: nil, event: nil, data: OpenAIError(problem))))
                }
                if case .reply = item { break }
            }
            try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            try await writer.finish(nil)
        })
    }

    struct Completion: Encodable {
        var id: String
        var object: String
        var created: Int
        var model: String
        var choices: [Choice]

        struct Choice: Encodable {
            var index: Int
            var message: Message?
            var delta: Message?
            var finish_reason: String?

            enum CodingKeys: String, CodingKey { case index, message, delta, finish_reason }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(index, forKey: .index)
                try container.encodeIfPresent(message, forKey: .message)
                try container.encodeIfPresent(delta, forKey: .delta)
                // OpenAI sends an explicit null while a stream is still going.
                try container.encode(finish_reason, forKey: .finish_reason)
            }
        }

        struct Message: Encodable {
            var role: String?
            var content: String?
        }
    }

    /// OpenAI's error body: `{"error": {"message", "type", "code"}}`.
    struct OpenAIError: Encodable {
        var error: Detail

        struct Detail: Encodable {
            var message: String
            var type: String
            var code: String
        }

        init(_ problem: Problem) {
            let type =
                switch problem.status {
                case 401: "authentication_error"
                case 404: "invalid_request_error"
                case 400, 413, 415, 422: "invalid_request_error"
                default: "server_error"
                }
            error = Detail(message: problem.detail, type: type, code: problem.code)
        }
    }

    static func openAIError(_ problem: Problem) -> Response {
        var response = jsonResponse(OpenAIError(problem), status: .init(code: problem.status))
        if let retryAfter = problem.retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        if let challenge = problem.challenge { response.headers[.wwwAuthenticate] = challenge }
        return response
    }
}
