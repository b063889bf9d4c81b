import Foundation
import LoomConfig
import LoomContract

/// Anthropic's messages wire format: the system prompt apart from the turns, strictly
/// alternating user and assistant turns made of content blocks, tools as `tool_use` and
/// `tool_result` blocks, and a required `max_tokens`.
struct AnthropicMessagesAdapter: ProviderAdapter {
    let config: ProviderConfig
    /// Anthropic requires an answer allowance; this one applies when neither agent nor provider sets it.
    static let defaultMaxTokens = 1024

    func request(for completion: CompletionRequest, key: String?, stream: Bool) throws -> ProviderHTTPRequest {
        var headers = [
            ("content-type", "application/json"), ("accept", stream ? "text/event-stream" : "application/json"),
            ("anthropic-version", config.anthropicVersion),
        ]
        if let key { headers.append(("x-api-key", key)) }
        let system = completion.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let body = Body(
            model: completion.model ?? config.model,
            max_tokens: completion.maxTokens ?? config.maxTokens ?? Self.defaultMaxTokens,
            system: system.isEmpty ? nil : system,
            messages: Self.turns(completion.messages),
            temperature: (completion.temperature ?? config.temperature).map { min($0, 1) },
            tools: completion.tools.flatMap { $0.isEmpty ? nil : $0.map { Tool(name: $0.name, description: $0.description, input_schema: $0.parameters) } },
            stream: stream ? true : nil)
        return ProviderHTTPRequest(
            url: try URL.joining(config.resolvedBaseURL ?? "", "/messages"), headers: headers, body: try JSONEncoder().encode(body))
    }

    /// The conversation as alternating turns: tool results become `tool_result` blocks of a
    /// user turn, and consecutive messages of one role are merged into one turn.
    static func turns(_ messages: [ChatMessage]) -> [Turn] {
        var turns: [Turn] = []
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            var blocks: [Block] = []
            switch message.role {
            case .tool:
                blocks.append(Block(type: "tool_result", tool_use_id: message.toolCallId ?? "", content: message.content))
            case .assistant:
                if !message.content.isEmpty { blocks.append(Block(type: "text", text: message.content)) }
                for call in message.toolCalls ?? [] {
                    blocks.append(Block(type: "tool_use", id: call.id, name: call.name, input: call.arguments))
                }
            default:
                blocks.append(Block(type: "text", text: message.content))
            }
            if turns.last?.role == role {
                turns[turns.count - 1].content += blocks
            } else {
                turns.append(Turn(role: role, content: blocks))
            }
        }
        return turns
    }

    func answer(from body: Data) throws(ProviderFormatError) -> ProviderAnswer {
        let response = try ProviderFormatError.decode(Response.self, from: body, what: "the message")
        var text = ""
        var calls: [ToolCall] = []
        for block in response.content {
            switch block.type {
            case "text": text += block.text ?? ""
            case "tool_use":
                guard let id = block.id, let name = block.name else { throw ProviderFormatError("a tool_use block has no id or name") }
                calls.append(ToolCall(id: id, name: name, arguments: block.input ?? .object([:])))
            default: break
            }
        }
        return ProviderAnswer(
            text: text, toolCalls: calls, inputTokens: response.usage?.input_tokens ?? 0, outputTokens: response.usage?.output_tokens ?? 0,
            finishReason: Self.finishReason(response.stop_reason, calls: calls), model: response.model)
    }

    func streamReader() -> any ProviderStreamReader { AnthropicStreamReader() }

    func errorMessage(in body: Data) -> String? { ProviderErrorBody.message(in: body) }

    static func finishReason(_ reason: String?, calls: [ToolCall]) -> String {
        if !calls.isEmpty { return "tool_calls" }
        switch reason {
        case "end_turn", "stop_sequence", nil: return "stop"
        case "max_tokens": return "length"
        case let other?: return other
        }
    }

    // MARK: Wire shapes

    struct Body: Encodable {
        var model: String
        var max_tokens: Int
        var system: String?
        var messages: [Turn]
        var temperature: Double?
        var tools: [Tool]?
        var stream: Bool?
    }

    struct Turn: Encodable {
        var role: String
        var content: [Block]
    }

    struct Block: Codable {
        var type: String
        var text: String?
        var id: String?
        var name: String?
        var input: JSONValue?
        var tool_use_id: String?
        var content: String?

        init(type: String, text: String? = nil, id: String? = nil, name: String? = nil, input: JSONValue? = nil, tool_use_id: String? = nil, content: String? = nil) {
            self.type = type
            self.text = text
            self.id = id
            self.name = name
            self.input = input
            self.tool_use_id = tool_use_id
            self.content = content
        }
    }

    struct Tool: Encodable {
        var name: String
        var description: String
        var input_schema: JSONValue
    }

    struct Usage: Decodable {
        var input_tokens: Int?
        var output_tokens: Int?
    }

    struct Response: Decodable {
        var model: String?
        var content: [Block]
        var stop_reason: String?
        var usage: Usage?
    }
}

/// Reads the messages stream: `message_start` (input tokens), content blocks opened, filled by
/// `text_delta` / `input_json_delta` and closed, `message_delta` (stop reason, output tokens),
/// `message_stop`; an `error` event ends the stream as a failure.
struct AnthropicStreamReader: ProviderStreamReader {
    private var blocks: [Int: (type: String, id: String?, name: String?, text: String, json: String)] = [:]
    private var inputTokens = 0
    private var outputTokens = 0
    private var stopReason: String?
    private var model: String?
    private(set) var isComplete = false

    struct Event: Decodable {
        struct Message: Decodable {
            var model: String?
            var usage: AnthropicMessagesAdapter.Usage?
        }
        struct ContentBlock: Decodable {
            var type: String
            var id: String?
            var name: String?
            var text: String?
        }
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var partial_json: String?
            var stop_reason: String?
        }
        struct ErrorDetail: Decodable {
            var type: String?
            var message: String?
        }
        var type: String
        var index: Int?
        var message: Message?
        var content_block: ContentBlock?
        var delta: Delta?
        var usage: AnthropicMessagesAdapter.Usage?
        var error: ErrorDetail?
    }


    mutating func read(_ event: ServerSentEvent) throws(ProviderFormatError) -> String? {
        let parsed = try ProviderFormatError.decode(Event.self, from: Data(event.data.utf8), what: "a streamed event")
        switch parsed.type {
        case "message_start":
            model = parsed.message?.model
            inputTokens = parsed.message?.usage?.input_tokens ?? 0
            outputTokens = parsed.message?.usage?.output_tokens ?? 0
        case "content_block_start":
            guard let index = parsed.index, let block = parsed.content_block else { throw ProviderFormatError("content_block_start without a block") }
            blocks[index] = (block.type, block.id, block.name, block.text ?? "", "")
            if let text = block.text, !text.isEmpty, block.type == "text" { return text }
        case "content_block_delta":
            guard let index = parsed.index, let delta = parsed.delta, var block = blocks[index] else {
                throw ProviderFormatError("content_block_delta for a block that was not started")
            }
            defer { blocks[index] = block }
            if let text = delta.text {
                block.text += text
                return text
            }
            if let json = delta.partial_json { block.json += json }
        case "message_delta":
            stopReason = parsed.delta?.stop_reason ?? stopReason
            if let output = parsed.usage?.output_tokens { outputTokens = output }
            if let input = parsed.usage?.input_tokens, input > 0 { inputTokens = input }
        case "message_stop":
            isComplete = true
        case "error":
            throw ProviderFormatError(
                "the provider ended the stream with \(parsed.error?.type ?? "an error"): \(parsed.error?.message ?? "")", reportedByProvider: true)
        default:
            break  // ping, content_block_stop, and event types added later
        }
        return nil
    }

    func answer() throws(ProviderFormatError) -> ProviderAnswer {
        guard isComplete else { throw ProviderFormatError("the stream ended before message_stop") }
        var text = ""
        var calls: [ToolCall] = []
        for (_, block) in blocks.sorted(by: { $0.key < $1.key }) {
            switch block.type {
            case "text": text += block.text
            case "tool_use":
                guard let id = block.id, let name = block.name else { throw ProviderFormatError("a tool_use block has no id or name") }
                calls.append(ToolCall(id: id, name: name, arguments: ToolCall.arguments(fromJSONText: block.json)))
            default: break
            }
        }
        return ProviderAnswer(
            text: text, toolCalls: calls, inputTokens: inputTokens, outputTokens: outputTokens,
            finishReason: AnthropicMessagesAdapter.finishReason(stopReason, calls: calls), model: model)
    }
}
