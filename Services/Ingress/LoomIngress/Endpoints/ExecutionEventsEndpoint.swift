import Foundation
import HTTPTypes
import Hummingbird
import LoomBus
import LoomContract
import Logging

/// `GET /v1/executions/{id}/events`: Server-Sent Events for one execution — each status
/// change, then the reply — resumable with `Last-Event-ID`. Any ingress instance can serve it:
/// events come from the orchestrator (long-polled over the bus) and the reply from the router.
/// Operators read any execution; a client reads the ones it started.
struct ExecutionEventsEndpoint: Sendable {
    let node: BusNode
    let auth: HTTPAuthorizer
    let logger: Logger

    func handle(_ request: Request, executionId: String) async -> Response {
        let identity = auth.identify(request.headers[.authorization])
        // Callers who could read nothing are answered before the orchestrator is asked.
        if case .unauthorized(let detail) = auth.decide(.readExecution(owner: nil), for: identity) {
            return HTTPAuthorizer.unauthorized(detail).response
        }
        let resumeAfter = request.headers[.lastEventID].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        let first: ExecutionEventsResult
        do {
            // A caller that just got a 202 may ask before the orchestrator has the execution.
            first = try await poll(executionId, after: resumeAfter, waitMilliseconds: 3000)
        } catch {
            return Problem(status: 503, title: "Service Unavailable", detail: "the orchestrator did not answer", code: "orchestrator_unavailable", retryAfter: 1).response
        }
        guard first.status != nil else {
            return Problem(status: 404, title: "Not Found", detail: "no execution '\(executionId)'", code: "unknown_execution").response
        }
        do {
            _ = try HTTPAuthorizer.outcome(auth.decide(.readExecution(owner: first.principal), for: identity))
        } catch {
            return error.response
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await self.stream(executionId, after: resumeAfter, first: first, to: &writer)
            try await writer.finish(nil)
        })
    }

    private func stream(_ executionId: String, after: Int, first: ExecutionEventsResult, to writer: inout any ResponseBodyWriter) async throws {
        var last = after
        var result = first
        while true {
            for event in result.events {
                try await writer.write(ByteBuffer(string: SSE.frame(id: "\(event.sequence)", event: event.type.rawValue, data: event)))
                last = event.sequence
            }
            // The terminal status event commits with the status, so it has been sent by now.
            if result.status?.isTerminal == true {
                // A reader resuming after the reply (numbered last + 1) has seen everything.
                if last <= result.lastSequence { try await sendReply(executionId, number: result.lastSequence + 1, to: &writer) }
                return
            }
            if result.events.isEmpty { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
            do {
                result = try await poll(executionId, after: last, waitMilliseconds: 15_000)
            } catch {
                logger.warning("event stream lost the orchestrator", metadata: ["execution": "\(executionId)", "error": "\(error)"])
                try await writer.write(ByteBuffer(string: SSE.frame(id: nil, event: "error", data: ["code": "orchestrator_unavailable"])))
                return
            }
        }
    }

    /// The reply comes last, numbered after the final status event. Held replies (draft,
    /// review, suppressed) show their delivery status without the text.
    private func sendReply(_ executionId: String, number: Int, to writer: inout any ResponseBodyWriter) async throws {
        // The reply reaches the router just after the orchestrator records the end.
        var found: InteractionMessage?
        for _ in 0..<100 where found == nil {
            found = (try? await node.call(ExecutionReplyQuery(executionId: executionId), to: .peer("router"), expecting: ExecutionReplyResult.self))?
                .message
            if found == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let message = found else { return }
        let visible = message.deliveryStatus == .sent || message.deliveryStatus == .queued
        let payload = ReplyEvent(
            executionId: executionId, messageId: message.id, deliveryStatus: message.deliveryStatus.rawValue, text: visible ? message.body : nil)
        try await writer.write(ByteBuffer(string: SSE.frame(id: "\(number)", event: "reply", data: payload)))
    }

    private func poll(_ executionId: String, after: Int, waitMilliseconds: Int) async throws -> ExecutionEventsResult {
        try await ExecutionEvents.poll(node, executionId, after: after, waitMilliseconds: waitMilliseconds)
    }

    struct ReplyEvent: Encodable {
        var executionId: String
        var messageId: String
        var deliveryStatus: String
        var text: String?
    }
}

/// An execution's events, long-polled from the orchestrator.
enum ExecutionEvents {
    static func poll(_ node: BusNode, _ executionId: String, after: Int, waitMilliseconds: Int) async throws -> ExecutionEventsResult {
        try await node.call(
            ExecutionEventsQuery(executionId: executionId, afterSequence: after, waitMilliseconds: waitMilliseconds), to: .peer("orchestrator"),
            expecting: ExecutionEventsResult.self, timeout: .milliseconds(waitMilliseconds + 5000), attempts: 2)
    }

    /// The answer's text as the model writes it, until the execution ends (or the poll fails).
    static func streamedText(_ node: BusNode, _ executionId: String) -> AsyncStream<String> {
        AsyncStream { continuation in
            let task = Task {
                var after = 0
                while !Task.isCancelled {
                    guard let result = try? await poll(node, executionId, after: after, waitMilliseconds: 15_000) else { break }
                    for event in result.events {
                        after = event.sequence
                        if event.type == .delta, let text = event.text { continuation.yield(text) }
                    }
                    if result.status?.isTerminal == true { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Server-Sent Events framing.
enum SSE {
    static func frame<T: Encodable>(id: String?, event: String?, data: T) -> String {
        let json = (try? WireCodec.encodeValue(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        var frame = ""
        if let id { frame += "id: \(id)\n" }
        if let event { frame += "event: \(event)\n" }
        return frame + "data: \(json)\n\n"
    }
}
