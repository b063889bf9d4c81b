import Foundation
import LoomConfig
import LoomContract

/// OpenAI's chat-completions wire format, as also spoken by Azure OpenAI (with `apiVersion`),
/// Ollama, vLLM, LM Studio and other compatible servers.
struct OpenAIChatAdapter: ProviderAdapter {
    let config: ProviderConfig

    func request(for completion: CompletionRequest, key: String?, stream: Bool) throws -> ProviderHTTPRequest {
        let base = config.resolvedBaseURL ?? ""
        var headers = [("content-type", "application/json"), ("accept", stream ? "text/event-stream" : "application/json")]
        let url: URL
        if let apiVersion = config.apiVersion {
            url = try URL.joining(base, "/chat/completions", query: [URLQueryItem(name: "api-version", value: apiVersion)])
            if let key { headers.append(("api-key", key)) }
        } else {
            url = try URL.joining(base, "/chat/completions")
            if let key { headers.append(("authorization", "Bearer \(key)")) }
        }
        let body = Body(
            model: completion.model ?? config.model,
            messages: completion.messages.map(Message.init),
            temperature: completion.temperature ?? config.temperature,
            max_tokens: completion.maxTokens ?? config.maxTokens,
            tools: completion.tools.flatMap { $0.isEmpty ? nil : $0.map(Tool.init) },
            response_format: config.structuredOutput
                ? completion.responseFormat.map { ResponseFormat(type: "json_schema", json_schema: .init(name: $0.name, schema: $0.schema, strict: false)) }
                : nil,
            stream: stream ? true : nil,
            stream_options: stream ? StreamOptions(include_usage: true) : nil)
        return ProviderHTTPRequest(url: url, headers: headers, body: try JSONEncoder().encode(body))
    }

    func answer(from body: Data) throws(ProviderFormatError) -> ProviderAnswer {
        let response = try ProviderFormatError.decode(Response.self, from: body, what: "the chat completion")
        guard let choice = response.choices.first else { throw ProviderFormatError("the chat completion has no choices") }
        let calls = (choice.message.tool_calls ?? []).map {
            ToolCall(id: $0.id, name: $0.function.name, arguments: ToolCall.arguments(fromJSONText: $0.function.arguments ?? ""))
        }
        return ProviderAnswer(
            text: choice.message.content ?? "", toolCalls: calls, inputTokens: response.usage?.prompt_tokens ?? 0,
            outputTokens: response.usage?.completion_tokens ?? 0, finishReason: Self.finishReason(choice.finish_reason, calls: calls),
            model: response.model)
    }

    func streamReader() -> any ProviderStreamReader { OpenAIStreamReader() }

    func errorMessage(in body: Data) -> String? { ProviderErrorBody.message(in: body) }

    static func finishReason(_ reason: String?, calls: [ToolCall]) -> String {
        if !calls.isEmpty { return "tool_calls" }
        return reason ?? "stop"
    }

    // MARK: Wire shapes

    struct Body: Encodable {
        var model: String
        var messages: [Message]
        var temperature: Double?
        var max_tokens: Int?
        var tools: [Tool]?
        var response_format: ResponseFormat?
        var stream: Bool?
        var stream_options: StreamOptions?
    }

    struct Message: Encodable {
        var role: String
        var content: String?
        var tool_calls: [WireToolCall]?
        var tool_call_id: String?

        init(_ message: ChatMessage) {
            role = message.role.rawValue
            let calls = message.toolCalls ?? []
            // An assistant message that only calls tools has null content.
            content = calls.isEmpty || !message.content.isEmpty ? message.content : nil
            tool_calls = calls.isEmpty ? nil : calls.map {
                WireToolCall(id: $0.id, type: "function", function: .init(name: $0.name, arguments: $0.arguments.compactJSON))
            }
            tool_call_id = message.toolCallId
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(role, forKey: .role)
            try c.encode(content, forKey: .content)
            try c.encodeIfPresent(tool_calls, forKey: .tool_calls)
            try c.encodeIfPresent(tool_call_id, forKey: .tool_call_id)
        }

        enum CodingKeys: String, CodingKey { case role, content, tool_calls, tool_call_id }
    }

    struct WireToolCall: Codable {
        struct Function: Codable {
            var name: String
            var arguments: String?
        }
        var id: String
        var type: String?
        var function: Function
    }

    struct Tool: Encodable {
        struct Function: Encodable {
            var name: String
            var description: String
            var parameters: JSONValue
        }
        var type = "function"
        var function: Function

        init(_ spec: ToolSpec) { function = Function(name: spec.name, description: spec.description, parameters: spec.parameters) }
    }

    struct ResponseFormat: Encodable {
        struct Schema: Encodable {
            var name: String
            var schema: JSONValue
            var strict: Bool
        }
        var type: String
        var json_schema: Schema
    }

    struct StreamOptions: Encodable { var include_usage: Bool }

    struct Usage: Decodable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
    }

    struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var tool_calls: [WireToolCall]?
            }
            var message: Message
            var finish_reason: String?
        }
        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }
}

/// Reads `chat.completion.chunk` events: text deltas, tool-call fragments keyed by index,
/// the usage chunk (`stream_options.include_usage`) and the closing `[DONE]`.
struct OpenAIStreamReader: ProviderStreamReader {
    private var text = ""
    private var calls: [Int: (id: String, name: String, arguments: String)] = [:]
    private var finish: String?
    private var usage: OpenAIChatAdapter.Usage?
    private var model: String?
    private(set) var isComplete = false

    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable {
                struct CallFragment: Decodable {
                    struct Function: Decodable {
                        var name: String?
                        var arguments: String?
                    }
                    var index: Int?
                    var id: String?
                    var function: Function?
                }
                var content: String?
                var tool_calls: [CallFragment]?
            }
            var delta: Delta?
            var finish_reason: String?
        }
        var model: String?
        var choices: [Choice]?
        var usage: OpenAIChatAdapter.Usage?
    }

    mutating func read(_ event: ServerSentEvent) throws(ProviderFormatError) -> String? {
        if event.data.trimmingCharacters(in: .whitespaces) == "[DONE]" {
            isComplete = true
            return nil
        }
        let chunk = try ProviderFormatError.decode(Chunk.self, from: Data(event.data.utf8), what: "a streamed chunk")
        model = chunk.model ?? model
        if let usage = chunk.usage { self.usage = usage }
        var added = ""
        for choice in chunk.choices ?? [] {
            if let reason = choice.finish_reason { finish = reason }
            guard let delta = choice.delta else { continue }
            if let content = delta.content {
                added += content
                text += content
            }
            for fragment in delta.tool_calls ?? [] {
                let index = fragment.index ?? 0
                var call = calls[index] ?? (id: "", name: "", arguments: "")
                if let id = fragment.id { call.id = id }
                if let name = fragment.function?.name { call.name += name }
                if let arguments = fragment.function?.arguments { call.arguments += arguments }
                calls[index] = call
            }
        }
        return added.isEmpty ? nil : added
    }

    func answer() throws(ProviderFormatError) -> ProviderAnswer {
        guard isComplete || finish != nil else { throw ProviderFormatError("the stream ended before the answer was complete") }
        let toolCalls = calls.sorted { $0.key < $1.key }.map {
            ToolCall(id: $0.value.id, name: $0.value.name, arguments: ToolCall.arguments(fromJSONText: $0.value.arguments))
        }
        if toolCalls.contains(where: { $0.name.isEmpty || $0.id.isEmpty }) {
            throw ProviderFormatError("a streamed tool call has no id or name")
        }
        return ProviderAnswer(
            text: text, toolCalls: toolCalls, inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0,
            finishReason: OpenAIChatAdapter.finishReason(finish, calls: toolCalls), model: model)
    }
}
