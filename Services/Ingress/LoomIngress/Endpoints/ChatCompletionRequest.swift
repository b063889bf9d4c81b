import Foundation
import LoomContract

/// A `/v1/chat/completions` request as OpenAI clients send it.
extension ChatCompletionsEndpoint {
    struct Body: Decodable {
        var model: String
        var messages: [Message]
        var stream: Bool?
        var user: String?
        var n: Int?
        var streamOptions: StreamOptions?
        /// Sampling and tool parameters the request set: the agent's own configuration decides
        /// them, so a request that sets one is refused with its name rather than silently ignored.
        var refusedParameters: [String]

        static let agentOwnedParameters = [
            "temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "presence_penalty",
            "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "seed", "tools", "tool_choice",
            "functions", "function_call", "parallel_tool_calls", "response_format",
        ]

        struct StreamOptions: Decodable {
            var include_usage: Bool?
        }

        private enum Keys: String, CodingKey { case model, messages, stream, user, n, stream_options }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            model = try c.decode(String.self, forKey: .model)
            messages = try c.decode([Message].self, forKey: .messages)
            stream = try c.decodeIfPresent(Bool.self, forKey: .stream)
            user = try c.decodeIfPresent(String.self, forKey: .user)
            n = try c.decodeIfPresent(Int.self, forKey: .n)
            streamOptions = try c.decodeIfPresent(StreamOptions.self, forKey: .stream_options)
            let all = try decoder.container(keyedBy: AnyKey.self)
            refusedParameters = try Self.agentOwnedParameters.filter { name in
                let key = AnyKey(stringValue: name)
                guard all.contains(key), try !all.decodeNil(forKey: key) else { return false }
                // `false` asks for nothing (`logprobs: false`, `parallel_tool_calls: false`).
                return (try? all.decode(Bool.self, forKey: key)) != false
            }
        }

        /// The first parameter this surface cannot honour, as a 400 naming it.
        func unsupported() -> Problem? {
            if let n, n != 1 {
                return Problem(
                    status: 400, title: "Bad Request", detail: "n: an agent gives one answer per request; send n = 1 or leave it out",
                    code: "unsupported_parameter", param: "n")
            }
            guard let name = refusedParameters.first else { return nil }
            return Problem(
                status: 400, title: "Bad Request",
                detail: "\(name): the agent's own configuration decides it; leave it out of the request",
                code: "unsupported_parameter", param: name)
        }

        /// The request's messages as a turn. The last one is the new message and must be the
        /// user's; tool messages belong to tools the caller cannot offer here.
        func turn() throws(Problem) -> Turn {
            guard let last = messages.last, last.role == "user",
                let text = last.content?.text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else {
                throw Problem(
                    status: 400, title: "Bad Request", detail: "messages must end with a non-empty user message",
                    code: "missing_user_message", param: "messages")
            }
            var instructions: [String] = []
            var earlier: [CallerConversation.Message] = []
            for (index, message) in messages.dropLast().enumerated() {
                let text = message.content?.text ?? ""
                switch message.role {
                case "system", "developer":
                    if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { instructions.append(text) }
                case "user", "assistant":
                    guard message.content != nil else {
                        throw Problem(
                            status: 400, title: "Bad Request",
                            detail: "messages[\(index)]: a \(message.role) message needs its content (tool calls are not taken)",
                            code: "invalid_message", param: "messages[\(index)].content")
                    }
                    earlier.append(.init(role: message.role == "user" ? .user : .assistant, text: text))
                default:
                    throw Problem(
                        status: 400, title: "Bad Request",
                        detail: "messages[\(index)]: role '\(message.role)' is not taken; the agent's own tools answer here",
                        code: "invalid_message", param: "messages[\(index)].role")
                }
            }
            let conversation = CallerConversation(instructions: instructions, messages: earlier)
            return Turn(text: text, conversation: conversation.isEmpty ? nil : conversation)
        }
    }

    struct Message: Decodable {
        var role: String
        var content: Content?
    }

    /// The new user message, and what came before it: system and developer messages are the
    /// caller's instructions, user and assistant messages the earlier conversation.
    struct Turn {
        var text: String
        var conversation: CallerConversation?
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

}
