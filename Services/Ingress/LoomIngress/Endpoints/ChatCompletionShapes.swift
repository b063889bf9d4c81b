import Foundation
import Hummingbird
import LoomContract

/// The response shapes of `/v1/chat/completions`, as OpenAI defines them.
extension ChatCompletionsEndpoint {
    struct Completion: Encodable {
        var id: String
        var object: String
        var created: Int
        var model: String
        var choices: [Choice]
        /// Every response carries it; in a stream only the last chunk, when asked for.
        var usage: Usage?

        enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(object, forKey: .object)
            try container.encode(created, forKey: .created)
            try container.encode(model, forKey: .model)
            try container.encode(choices, forKey: .choices)
            try container.encodeIfPresent(usage, forKey: .usage)
        }

        struct Usage: Encodable {
            var prompt_tokens: Int
            var completion_tokens: Int
            var total_tokens: Int

            init(_ usage: TokenUsage?) {
                prompt_tokens = usage?.inputTokens ?? 0
                completion_tokens = usage?.outputTokens ?? 0
                total_tokens = prompt_tokens + completion_tokens
            }
        }

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

    /// OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`.
    struct OpenAIError: Encodable {
        var error: Detail

        struct Detail: Encodable {
            var message: String
            var type: String
            var param: String?
            var code: String

            enum CodingKeys: String, CodingKey { case message, type, param, code }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }
        }

        init(_ problem: Problem) {
            let type =
                switch problem.status {
                case 401: "authentication_error"
                case 404: "invalid_request_error"
                case 400, 413, 415, 422: "invalid_request_error"
                default: "server_error"
                }
            error = Detail(message: problem.detail, type: type, param: problem.param, code: problem.code)
        }
    }

    static func openAIError(_ problem: Problem) -> Response {
        var response = jsonResponse(OpenAIError(problem), status: .init(code: problem.status))
        if let retryAfter = problem.retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        if let challenge = problem.challenge { response.headers[.wwwAuthenticate] = challenge }
        return response
    }
}
