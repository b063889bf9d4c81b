import Foundation
import HTTPTypes
import Hummingbird
import LoomBus
import LoomConfig
import LoomContract
import Logging

/// `POST /v1/agents/{agent}/run` with `{"input": {...}}`: runs a `direct` agent and answers
/// with its output object, valid against the agent's output schema — 200 when it completed,
/// 422 with the error (e.g. `OUTPUT_INVALID`) when it did not. `Idempotency-Key` makes a retry
/// return the first run's outcome.
struct DirectRunEndpoint: Sendable {
    let node: BusNode
    let metadata: LoomMetadata
    let auth: HTTPAuthorizer
    let maxBodyBytes: Int

    struct Body: Decodable {
        var input: JSONValue?
    }

    struct Reply: Encodable {
        var executionId: String
        var status: String
        var output: JSONValue?
        var error: ExecutionError?
    }

    func handle(_ request: Request, agentName: String) async -> Response {
        do {
            return try await run(request, agentName: agentName)
        } catch {
            return error.response
        }
    }

    private func run(_ request: Request, agentName: String) async throws(Problem) -> Response {
        let principal = try auth.authorize(request, .sendMessage)?.id
        guard let agent = metadata.agents[agentName] else {
            throw Problem(status: 404, title: "Not Found", detail: "no agent named '\(agentName)'", code: "unknown_agent")
        }
        guard agent.strategy == .direct else {
            throw Problem(
                status: 409, title: "Conflict", detail: "agent '\(agentName)' is conversational; use POST /v1/agents/\(agentName)/executions",
                code: "not_direct")
        }
        guard agent.active else { throw Problem(status: 409, title: "Conflict", detail: "agent '\(agentName)' is not active", code: "agent_inactive") }
        try HTTPInput.requireContentType(request, "application/json")
        let body = try HTTPInput.decodeJSON(Body.self, from: try await HTTPInput.body(of: request, limit: maxBodyBytes))
        guard case .object? = body.input else {
            throw Problem(status: 422, title: "Unprocessable Content", detail: "'input' must be a JSON object", code: "invalid_input")
        }
        let key = try IdempotencyScope.scoped(request.headers[.idempotencyKey], principal: principal)
            ?? MessageID.random("run")
        let result: DirectRunResult
        do {
            result = try await node.call(
                DirectRunRequest(agent: agentName, input: body.input ?? .null, idempotencyKey: key), to: .peer("orchestrator"),
                expecting: DirectRunResult.self, timeout: .seconds(agent.replyTimeoutSeconds * 2 + 5), attempts: 1)
        } catch let failure as Failure {
            throw Problem(status: failure.retryable ? 503 : 422, title: "Run Refused", detail: failure.message, code: failure.code)
        } catch {
            throw Problem(
                status: 503, title: "Service Unavailable", detail: "the orchestrator did not answer; retry with the same Idempotency-Key",
                code: "orchestrator_unavailable", retryAfter: 1)
        }
        let reply = Reply(executionId: result.executionId, status: result.status.rawValue, output: result.output, error: result.error)
        return jsonResponse(reply, status: result.status == .completed ? .ok : .unprocessableContent)
    }
}
