import Foundation
import HTTPTypes
import Hummingbird
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// `POST /v1/chat/completions`, the OpenAI-compatible surface: `model` names the agent and the
/// last message is the user's turn. Without a session key the request's messages are the
/// conversation (system messages layered after the agent's instructions); with `user` (or
/// `X-Session-Key`) the session's memory is, and the endpoint's `requestHistory` says what
/// happens to earlier messages the session does not hold. Answers in OpenAI's shapes,
/// including `stream: true` as `chat.completion.chunk` events ending with `[DONE]`, and errors
/// as `{"error": {...}}`, so OpenAI clients work unchanged.
struct ChatCompletionsEndpoint: Sendable {
    let link: RouterLink
    let metadata: LoomMetadata
    let auth: HTTPAuthorizer
    let maxBodyBytes: Int
    let logger: Logger

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
        if let problem = body.unsupported() { throw problem }
        guard let agent = metadata.agents[body.model] else {
            throw Problem(status: 404, title: "Not Found", detail: "the model '\(body.model)' does not exist", code: "model_not_found")
        }
        let turn = try body.turn()
        let sessionKey = request.headers[.sessionKey] ?? body.user
        let idempotencyKey = try IdempotencyScope.scoped(request.headers[.idempotencyKey], principal: principal)
        let messageId = idempotencyKey.map { RouterLink.messageId(channel: .openai, endpoint: endpointName, externalId: $0, content: data) }
            ?? MessageID.random("in")
        let inbound = InboundMessage(
            channel: .openai, endpoint: endpointName, agent: body.model, sender: body.user ?? "openai", text: turn.text, sessionKey: sessionKey,
            externalMessageId: idempotencyKey, replyTo: link.node.instance, streamReply: body.stream == true,
            principal: principal, conversation: turn.conversation)
        let accepted = try await link.submit(
            inbound, messageId: messageId, traceparent: request.headers[.traceparent], deadlineSeconds: agent.replyTimeoutSeconds,
            holdingReply: true)
        let completionId = "chatcmpl-" + (accepted.executionId ?? messageId)
        let created = Int(Date().timeIntervalSince1970)
        var response: Response
        if body.stream == true {
            response = stream(
                accepted, completionId: completionId, created: created, model: body.model,
                timeout: agent.replyTimeoutSeconds, includeUsage: body.streamOptions?.include_usage == true)
        } else {
            let reply = try await answer(accepted, timeout: agent.replyTimeoutSeconds)
            response = jsonResponse(Completion(
                id: completionId, object: "chat.completion", created: created, model: body.model,
                choices: [.init(index: 0, message: .init(role: "assistant", content: reply.text), delta: nil, finish_reason: "stop")],
                usage: .init(reply.usage)))
        }
        // Which history the turn used, when the caller sent one: its own messages, or the session's.
        if let history = accepted.ack.info["history"] { response.headers[.loomHistory] = history }
        return response
    }

    struct Reply: Sendable {
        var text: String
        var usage: TokenUsage?
    }

    /// The reply and the tokens it took, or a problem when there is no reply to give. An agent
    /// that failed still answers (its apology), which OpenAI's finish reasons call `stop`.
    private func answer(_ accepted: RouterLink.Accepted, timeout: Double) async throws(Problem) -> Reply {
        switch await link.awaitReply(accepted, timeout: timeout) {
        case .arrived(let outbound):
            if let held = outbound.deliveryStatus, held != .queued, held != .sent {
                throw Problem(status: 409, title: "Conflict", detail: "the reply is held (\(held.rawValue))", code: "reply_held")
            }
            return Reply(text: outbound.text, usage: outbound.usage)
        case .repeated(let text, _, _):
            // A repeat of an answered request: the tokens were counted the first time.
            return Reply(text: text, usage: nil)
        case .pending:
            throw Problem(
                status: 504, title: "Gateway Timeout", detail: "the agent did not answer in time; execution \(accepted.executionId ?? "")",
                code: "timeout")
        }
    }

    private func stream(
        _ accepted: RouterLink.Accepted, completionId: String, created: Int, model: String, timeout: Double,
        includeUsage: Bool
    ) -> Response {
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
                case reply(Result<Reply, Problem>)
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
                case .reply(.success(let reply)):
                    let content = reply.text
                    let rest = content.hasPrefix(streamed) ? String(content.dropFirst(streamed.count)) : (streamed.isEmpty ? content : "")
                    if !rest.isEmpty { try await writer.write(chunk(.init(role: nil, content: rest), finish: nil)) }
                    try await writer.write(chunk(.init(role: nil, content: nil), finish: "stop"))
                    if includeUsage {
                        // OpenAI's last chunk before [DONE]: no choices, the whole request's usage.
                        let usage = Completion(
                            id: completionId, object: "chat.completion.chunk", created: created, model: model, choices: [],
                            usage: .init(reply.usage))
                        try await writer.write(ByteBuffer(string: SSE.frame(id: nil, event: nil, data: usage)))
                    }
                case .reply(.failure(let problem)):
                    try await writer.write(ByteBuffer(string: SSE.frame(id: nil, event: nil, data: OpenAIError(problem))))
                }
                if case .reply = item { break }
            }
            try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            try await writer.finish(nil)
        })
    }
}
